namespace Fanout.Benchmarks.Measuring;

public static class Cids
{
    /// <summary>
    /// CIDs no earlier run used (a random part per call), so a late final callback of a previous run is never
    /// counted as this run's, and the orchestrator never refuses one as a duplicate.
    /// </summary>
    public static string[] Fresh(string scenario, int count)
    {
        var run = Guid.NewGuid().ToString("N")[..10];
        return Enumerable.Range(0, count).Select(i => $"bench-{scenario}-{run}-{i}").ToArray();
    }
}
