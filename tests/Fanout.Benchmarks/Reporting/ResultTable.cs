using System.Globalization;

namespace Fanout.Benchmarks.Reporting;

/// <summary>The results as a plain-text table: one row per metric, median and min–max over the runs.</summary>
public static class ResultTable
{
    public static void Write(IReadOnlyList<ScenarioOutcome> outcomes, BenchProfile profile, TextWriter output)
    {
        var rows = new List<string[]> { new[] { "scenario", "metric", "median", "min – max", "runs" } };
        foreach (var outcome in outcomes)
        {
            var name = outcome.Name;
            foreach (var metric in outcome.MetricNames)
            {
                var values = outcome.Values(metric);
                rows.Add([name, metric, Number(outcome.Median(metric)!.Value), $"{Number(values.Min())} – {Number(values.Max())}", $"{values.Count}"]);
                name = "";
            }

            foreach (var (metric, value) in outcome.Derived)
            {
                rows.Add([name, metric, Number(value), "(from medians)", ""]);
                name = "";
            }

            if (outcome.Error is not null)
                rows.Add([name, "FAILED", outcome.Error, "", $"{outcome.Runs.Count}"]);
        }

        var widths = Enumerable.Range(0, 4).Select(c => rows.Max(r => c == 2 && r[1] == "FAILED" ? 0 : r[c].Length)).ToArray();
        output.WriteLine($"Fanout.Bus benchmark ({profile.Name}: {profile.Repetitions} run(s) per scenario)");
        foreach (var row in rows)
            output.WriteLine(row[1] == "FAILED"
                ? $"{row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2]}"
                : $"{row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2].PadLeft(widths[2])}  {row[3].PadRight(widths[3])}  {row[4]}");
    }

    /// <summary>Three significant digits or whole numbers: enough to compare runs, no false precision.</summary>
    public static string Number(double value) => Math.Abs(value) switch
    {
        _ when value == Math.Floor(value) => value.ToString("N0", CultureInfo.InvariantCulture), // counts
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("N1", CultureInfo.InvariantCulture),
        _ => value.ToString("N2", CultureInfo.InvariantCulture),
    };
}
