namespace Fanout.Bus.Configuration;

/// <summary>
/// <c>--help</c> for the service processes: they take their settings from environment variables and
/// <c>appsettings.json</c> (or <c>--Fanout:Section:Key=value</c>), so without this a user asking for help would start
/// a server instead. Prints what the process is and the settings that matter most, and where the rest are.
/// </summary>
public static class HostUsage
{
    /// <summary>True when the command line asks for help (<c>--help</c>, <c>-h</c>, <c>-?</c>).</summary>
    public static bool Asked(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>The usage text: a line on what the process does, then one line per setting.</summary>
    public static string Text(string process, string purpose, IReadOnlyList<(string Setting, string Meaning)> settings)
    {
        var width = settings.Max(s => s.Setting.Length) + 2;
        var lines = new List<string>
        {
            $"Usage: {process} [--Fanout:Section:Key=value ...]",
            "",
            purpose,
            "",
            "Settings (environment variables; each also as a configuration key, see docs/configuration.md):",
        };
        lines.AddRange(settings.Select(s => "  " + s.Setting.PadRight(width) + s.Meaning));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
