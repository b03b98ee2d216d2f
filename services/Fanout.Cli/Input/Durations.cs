using System.Globalization;

namespace Fanout.Cli.Input;

/// <summary>
/// <c>--deadline</c> values: <c>500ms</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c>, or <c>hh:mm:ss</c>.
/// </summary>
public static class Durations
{
    public static TimeSpan Parse(string text, string option = "--deadline")
    {
        text = text.Trim();
        var units = new (string Suffix, double Ms)[]
            { ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000) };
        foreach (var (suffix, ms) in units)
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture,
                    out var value)
                && value >= 0)
                return TimeSpan.FromMilliseconds(value * ms);
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
            return span;
        throw CliException.Usage($"{option}: '{text}' is not a duration (use 500ms, 90s, 15m, 2h, 1d or hh:mm:ss)");
    }
}
