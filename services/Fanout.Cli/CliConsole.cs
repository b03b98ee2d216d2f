using System.Text.Json;
using Spectre.Console;

namespace Fanout.Cli;

/// <summary>
/// Where a command writes. With <c>--json</c> the machine output is the only thing on stdout and the human text
/// goes to stderr; without it the human text is on stdout. Errors always go to stderr.
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error, bool interactive)
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    static readonly JsonSerializerOptions Compact = new();

    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;
    public bool Interactive { get; } = interactive;
    public bool Json { get; set; }

    public static CliConsole ForProcess() => new(Console.Out, Console.Error,
        interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    /// <summary>The human-facing console: stdout, or stderr when stdout carries JSON.</summary>
    public IAnsiConsole Human => _human ??= Create(Json ? Error : Output);
    IAnsiConsole? _human;

    IAnsiConsole Create(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
    });

    /// <summary>One JSON document on stdout (only in <c>--json</c> mode).</summary>
    public void WriteJson<T>(T value, bool oneLine = false)
    {
        Output.WriteLine(JsonSerializer.Serialize(value, oneLine ? Compact : Indented));
        Output.Flush();
    }

    public void Fail(string message) => Error.WriteLine($"fanout: {message}");
}
