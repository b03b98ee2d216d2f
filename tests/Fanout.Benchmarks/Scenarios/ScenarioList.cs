namespace Fanout.Benchmarks.Scenarios;

public static class ScenarioList
{
    /// <summary>
    /// In running order: the ceiling first, then latency while the system is idle, then the loads; the map runs last,
    /// so a run that is too slow (or not supported yet) cannot load the scenarios after it.
    /// </summary>
    public static IReadOnlyList<IScenario> For(BenchProfile profile) =>
    [
        new CeilingScenario(),
        new LatencyScenario(profile.LatencyWarmups, profile.LatencyRuns),
        new ThroughputScenario(profile.ThroughputFanouts, profile.ThroughputTargets),
        new FifoScenario(profile.FifoOrders),
        GatewayLoadScenario.Fanouts(),
        GatewayLoadScenario.Orders(),
        .. profile.MapSizes.Select(calls => new MapScenario(calls, measureMemory: calls == 10_000)),
    ];
}
