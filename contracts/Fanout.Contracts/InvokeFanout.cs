using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Starts a fan-out or a parallel execution. Accepted with MassTransit's envelope or as plain JSON.
/// For <c>parallel</c> the per-target callbacks are <see cref="OnTarget"/> and <see cref="OnFinal"/> stays empty.
/// </summary>
public sealed record InvokeFanout
{
    /// <summary>Correlation id; empty or missing means "assign one".</summary>
    [JsonPropertyName("cid")] public string? Cid { get; init; }

    /// <summary><c>fanout</c> (default) or <c>parallel</c>.</summary>
    [JsonPropertyName("mode")] public string Mode { get; init; } = InvocationMode.Fanout;

    /// <summary>The invoking service, reported to targets and callbacks.</summary>
    [JsonPropertyName("source")] public string? Source { get; init; }

    /// <summary>Service name to the request it receives.</summary>
    [JsonPropertyName("targets")] public Dictionary<string, JsonElement> Targets { get; init; } = new();

    [JsonPropertyName("on_final")] public List<string> OnFinal { get; init; } = new();

    [JsonPropertyName("on_target")] public List<string> OnTarget { get; init; } = new();

    /// <summary>Milliseconds until unfinished targets are recorded as timed out; the orchestrator's default when missing.</summary>
    [JsonPropertyName("deadline_ms")] public long? DeadlineMs { get; init; }

    /// <summary>At most this many targets of this run in flight at once; all at once when missing.</summary>
    [JsonPropertyName("max_concurrency")] public int? MaxConcurrency { get; init; }

    /// <summary>When the caller asked; set by the orchestrator when missing.</summary>
    [JsonPropertyName("req_ts_utc")] public DateTime? RequestedAtUtc { get; init; }
}
