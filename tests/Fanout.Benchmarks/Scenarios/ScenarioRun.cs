namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// One measured run of a scenario: its metrics, and the work it gave the system in its window (warm-ups included,
/// their cost is in the window too), from which the runner derives the cost per run, per target and per order.
/// </summary>
public sealed record ScenarioRun(IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>Fan-out runs submitted.</summary>
    public int Runs { get; init; }

    /// <summary>Their targets (calls, for a map).</summary>
    public int Targets { get; init; }

    /// <summary>FIFO orders submitted.</summary>
    public int Orders { get; init; }
}
