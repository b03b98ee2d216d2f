using Fanout.Cli;

namespace Fanout.Testing;

/// <summary>Runs the real <c>fanout</c> command tree in process and captures what it wrote.</summary>
public sealed record CliRun(int ExitCode, string Out, string Err)
{
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static async Task<CliRun> Of(params string[] args) => await Of(CancellationToken.None, args);

    public static async Task<CliRun> Of(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliConsole(output, error, interactive: false), cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
