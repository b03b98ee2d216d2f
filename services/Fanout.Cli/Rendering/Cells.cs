using Spectre.Console;

namespace Fanout.Cli.Rendering;

internal static class Cells
{
    public static string Time(DateTime? utc) =>
        utc is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'") : "-";

    public static string Duration(double? ms) => ms switch
    {
        null => "-",
        < 1000 => $"{ms:0} ms",
        < 120_000 => $"{ms / 1000:0.0} s",
        _ => $"{ms / 60_000:0.0} min",
    };

    /// <summary>The first line of an exception text, cut to fit a table cell.</summary>
    public static string Short(string? error, int width = 60)
    {
        if (string.IsNullOrWhiteSpace(error))
            return "";
        var line = error.Split('\n', 2)[0].Trim();
        return line.Length <= width ? line : line[..(width - 1)] + "…";
    }

    public static string Escape(string? text) => Markup.Escape(text ?? "");
}
