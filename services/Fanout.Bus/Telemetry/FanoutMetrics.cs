using System.Diagnostics.Metrics;

namespace Fanout.Bus.Telemetry;

/// <summary>
/// The "Fanout" meter's instruments. Static like an ActivitySource: without a listener (OTLP off) recording is a
/// no-op. Recorded inside saga transactions, so a transaction retried after a concurrency conflict counts twice.
/// </summary>
public static class FanoutMetrics
{
    public const string MeterName = "Fanout";

    static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> RunsStarted =
        Meter.CreateCounter<long>("fanout.runs.started", "{run}",
            "Fan-outs and parallel runs accepted by the orchestrator.");

    public static readonly Counter<long> RunsCompleted =
        Meter.CreateCounter<long>("fanout.runs.completed", "{run}", "Runs finished, whatever their targets' outcomes.");

    public static readonly Counter<long> RunsFailed =
        Meter.CreateCounter<long>("fanout.runs.failed", "{run}", "Finished runs with at least one failed target.");

    public static readonly Counter<long> TargetsCompleted =
        Meter.CreateCounter<long>("fanout.targets.completed", "{target}",
            "Target results recorded (ok or not); its rate is targets/s.");

    public static readonly Histogram<double> RunDuration =
        Meter.CreateHistogram<double>("fanout.run.duration", "s", "From the run's request time to its completion.");
}
