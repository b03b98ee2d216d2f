using Fanout.Benchmarks.Client;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>The fan-out of the throughput and latency scenarios: one call to each of the distinct no-op targets.</summary>
public static class TenTargetRun
{
    public static IReadOnlyDictionary<string, object?> Targets { get; } =
        Enumerable.Range(0, BenchServices.DistinctTargets).ToDictionary(BenchServices.Target, _ => (object?)new { });

    public static IReadOnlyList<string> FinalCallbacks { get; } = [BenchServices.FinalCallback];

    /// <summary>Submits through the C# API; returns once the orchestrator accepted it.</summary>
    public static Task Submit(BenchContext context, string cid, CancellationToken cancellationToken) =>
        context.Client.Patterns.Fanout.InvokeAsync(Targets, FinalCallbacks, cid: cid, cancellationToken: cancellationToken);
}
