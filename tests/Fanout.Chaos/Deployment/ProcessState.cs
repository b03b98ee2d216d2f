using System.Text.Json;

namespace Fanout.Chaos.Deployment;

/// <summary>A part's process as the report shows it: alive or exited with its code, and its log's last lines.</summary>
public sealed record ProcessState(string Name, int Pid, int? ExitCode, string LogPath, string LogTail)
{
    public bool Alive => ExitCode is null;

    public override string ToString() =>
        $"{Name} (pid {Pid}) {(Alive ? "alive" : $"EXITED with code {ExitCode}")}, log {Path.GetFileName(LogPath)}";

    /// <summary>The log's last lines, a JSON log line shortened to its time, level, category and message.</summary>
    public IEnumerable<string> LastLines => LogTail.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Readable);

    static string Readable(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return Shorten($"{Text(root, "Timestamp")} {Text(root, "LogLevel")} {Text(root, "Category")}: " +
                           Text(root, "Message"));
        }
        catch (JsonException)
        {
            return Shorten(line);
        }
    }

    static string Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) ? value.ToString() : "";

    static string Shorten(string text) => text.Length <= 240 ? text : text[..240] + "…";
}
