using Fanout.Benchmarks.Measuring;

namespace Fanout.Benchmarks.Reporting;

/// <summary>The runs of one scenario, or why it stopped; plus ratios derived from other scenarios' medians.</summary>
public sealed class ScenarioOutcome(string name)
{
    public string Name { get; } = name;
    public List<IReadOnlyDictionary<string, double>> Runs { get; } = [];

    /// <summary>Per finished run: broker messages per run (or order) by exchange, <c>(all)</c> for the total.</summary>
    public List<IReadOnlyDictionary<string, double>> Messages { get; } = [];

    /// <summary>What <see cref="Messages"/> counts per: <c>run</c> or <c>order</c>.</summary>
    public string? MessagesPer { get; set; }

    /// <summary>Set when a run failed (the remaining runs of the scenario are skipped).</summary>
    public string? Error { get; set; }

    /// <summary>Computed from medians (of this and other scenarios), so they have no range.</summary>
    public Dictionary<string, double> Derived { get; } = [];

    public IEnumerable<string> MetricNames => Runs.FirstOrDefault()?.Keys ?? [];

    public IReadOnlyList<double> Values(string metric) => Runs.Select(r => r[metric]).ToList();

    public double? Median(string metric) => Runs.Count == 0 ? null : Percentiles.Median(Values(metric).ToList());
}
