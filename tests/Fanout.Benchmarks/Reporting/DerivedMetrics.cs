namespace Fanout.Benchmarks.Reporting;

/// <summary>Ratios the issue asks for, from the medians of two scenarios measured in the same benchmark run.</summary>
public static class DerivedMetrics
{
    public static void Add(IReadOnlyList<ScenarioOutcome> outcomes)
    {
        var byName = outcomes.ToDictionary(o => o.Name);
        if (byName.TryGetValue("throughput_200x10", out var throughput) && byName.TryGetValue("ceiling_mt_pairs", out var ceiling)
            && throughput.Median("targets_per_s") is { } targets && ceiling.Median("pairs_per_s") is { } pairs)
            throughput.Derived["ratio_to_ceiling"] = targets / pairs;

        // Per-call cost at 10,000 over per-call cost at 1,000: 1.0 means the run scales linearly.
        if (byName.TryGetValue("map_10000", out var large) && byName.TryGetValue("map_1000", out var small)
            && large.Median("wall_s") is { } largeWall && small.Median("wall_s") is { } smallWall)
            large.Derived["per_call_ratio_10k_to_1k"] = largeWall / 10_000 / (smallWall / 1_000);
    }
}
