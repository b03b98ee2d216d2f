using System.Text.Json;
using Spectre.Console;

namespace Fanout.Cli;

/// <summary>
/// Where a command writes. With <c>--json</c> the machine output is the only thing on stdout and the human text
/// goes to stderr; without it the human text is on stdout. Errors always go to stderr.
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error, bool interactive)
{
    // Relaxed escaping keeps quotes and '<' readable in exception texts; the output is still valid JSON.
    static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping
    };
    static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping
    };

    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;
    public bool Interactive { get; } = interactive;
    public bool Json { get; set; }

    public static CliConsole ForProcess() => new(Console.Out, Console.Error,
        interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    /// <summary>The human-facing console: stdout, or stderr when stdout carries JSON.</summary>
    public IAnsiConsole Human => _human ??= Create(Json ? Error : Output);
    IAnsiConsole? _human;

    IAnsiConsole Create(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Redirected output has no width; wrapping tables at 80 columns would split every timestamp.
        if (!Interactive)
            console.Profile.Width = 200;
        return console;
    }

    /// <summary>One JSON document on stdout (only in <c>--json</c> mode).</summary>
    public void WriteJson<T>(T value, bool oneLine = false)
    {
        Output.WriteLine(JsonSerializer.Serialize(value, oneLine ? Compact : Indented));
        Output.Flush();
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Indented);

    public void Fail(string message) => Error.WriteLine($"fanout: {message}");
}
