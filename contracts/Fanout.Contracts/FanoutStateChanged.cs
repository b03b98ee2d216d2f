using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Published by the orchestrator with every change of a run: it started, targets finished, it ended. Observers (the
/// CLI's tail) follow runs from these alone, from any machine that reaches the broker.
/// </summary>
public sealed record FanoutStateChanged
{
    public const string Started = "started";
    public const string Progressed = "progressed";

    /// <summary>
    /// <c>started</c>, <c>progressed</c>, or the state the run ended in (<c>completed</c>, <c>timed_out</c>,
    /// <c>cancelled</c>).
    /// </summary>
    [JsonPropertyName("change")] public required string Change { get; init; }

    [JsonPropertyName("run")] public required FanoutSummary Run { get; init; }

    /// <summary>The targets that finished with this change.</summary>
    [JsonPropertyName("finished")] public required IReadOnlyList<FinishedTarget> Finished { get; init; }

    [JsonPropertyName("ts_utc")] public DateTime ChangedAtUtc { get; init; }
}

public sealed record FinishedTarget
{
    [JsonPropertyName("target")] public required string Target { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("ok")] public bool Ok { get; init; }

    /// <summary>The first line of the exception text when the target failed.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }

    [JsonPropertyName("duration_ms")] public double? DurationMs { get; init; }
}
