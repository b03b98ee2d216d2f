namespace Fanout.Cli;

/// <summary>What a script can tell from <c>$?</c>.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>
    /// The request was understood but failed: unknown CID or order, refused by the orchestrator, run ended badly.
    /// </summary>
    public const int Failed = 1;

    /// <summary>Bad input: unknown option, invalid name, malformed JSON.</summary>
    public const int Usage = 2;

    /// <summary>The broker (or its management API, or the orchestrator) could not be reached.</summary>
    public const int Unavailable = 3;
}

/// <summary>A failure the CLI reports as one line and an exit code, never as a stack trace.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
    public static CliException Failed(string message) => new(ExitCodes.Failed, message);
    public static CliException Unavailable(string message) => new(ExitCodes.Unavailable, message);
}
