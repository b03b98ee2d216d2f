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

    /// <summary>Service name to the request it receives. Each entry is a call whose key is the service name.</summary>
    [JsonPropertyName("targets")] public Dictionary<string, JsonElement> Targets { get; init; } = new();

    /// <summary>
    /// Calls, instead of or next to <see cref="Targets"/>: any number per service, each reported under its key
    /// (default <c>&lt;service&gt;#&lt;index&gt;</c>). Keys are unique within a run, plain target names included.
    /// </summary>
    [JsonPropertyName("calls"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<Call>? Calls { get; init; }

    /// <summary>
    /// Retries for every target and call of the run that raised; a call's own <see cref="Call.Retry"/> wins. One
    /// attempt when missing.
    /// </summary>
    [JsonPropertyName("retry"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// When true, the first target that ends <c>ok=false</c> (after its retries) ends the run: unfinished ones are
    /// recorded as cancelled, naming the failing key, and the final callbacks run once.
    /// </summary>
    [JsonPropertyName("fail_fast"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? FailFast { get; init; }

    /// <summary>
    /// The run completes as soon as this many targets ended <c>ok=true</c>; the rest are cancelled as with
    /// <see cref="FailFast"/>.
    /// </summary>
    [JsonPropertyName("quorum"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Quorum { get; init; }

    [JsonPropertyName("on_final")] public List<string> OnFinal { get; init; } = new();

    [JsonPropertyName("on_target")] public List<string> OnTarget { get; init; } = new();

    /// <summary>
    /// Milliseconds until unfinished targets are recorded as timed out; the orchestrator's default when missing.
    /// </summary>
    [JsonPropertyName("deadline_ms")] public long? DeadlineMs { get; init; }

    /// <summary>At most this many targets of this run in flight at once; all at once when missing.</summary>
    [JsonPropertyName("max_concurrency")] public int? MaxConcurrency { get; init; }

    /// <summary>
    /// Refuse the run (<c>unknown_service</c>) when no live host serves one of its services or callbacks.
    /// </summary>
    [JsonPropertyName("require_live_services"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? RequireLiveServices { get; init; }

    /// <summary>When the caller asked; set by the orchestrator when missing.</summary>
    [JsonPropertyName("req_ts_utc")] public DateTime? RequestedAtUtc { get; init; }
}
