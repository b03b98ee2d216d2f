using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>Asks the orchestrator for throughput and latency over the last minutes; answered with
/// <see cref="FanoutOverview"/>.</summary>
public sealed record GetFanoutOverview
{
    [JsonPropertyName("minutes")] public int Minutes { get; init; } = 60;
}

public sealed record FanoutOverview
{
    [JsonPropertyName("minutes")] public int Minutes { get; init; }

    /// <summary>One entry per minute, oldest first, the current (partial) minute last.</summary>
    [JsonPropertyName("per_minute")] public required IReadOnlyList<OverviewMinute> PerMinute { get; init; }

    /// <summary>Duration of the runs that finished in the window (null values when none did).</summary>
    [JsonPropertyName("duration_ms")] public required DurationPercentiles DurationMs { get; init; }

    /// <summary>Failed targets / finished targets in the window; null when no target finished.</summary>
    [JsonPropertyName("failure_rate")] public double? FailureRate { get; init; }
}

public sealed record OverviewMinute
{
    [JsonPropertyName("minute_utc")] public DateTime MinuteUtc { get; init; }
    [JsonPropertyName("started")] public int Started { get; init; }
    [JsonPropertyName("finished")] public int Finished { get; init; }
    [JsonPropertyName("targets")] public int Targets { get; init; }
    [JsonPropertyName("failed_targets")] public int FailedTargets { get; init; }
}

public sealed record DurationPercentiles
{
    [JsonPropertyName("p50")] public double? P50 { get; init; }
    [JsonPropertyName("p95")] public double? P95 { get; init; }
}
