using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// One invocation in <see cref="InvokeFanout.Calls"/>: many calls may name the same service, each with its own
/// request; they share the service's queue, so several instances of the service split them.
/// </summary>
public sealed record Call
{
    /// <summary>
    /// The service to invoke (required; a missing one is refused by validation, not by deserialization).
    /// </summary>
    [JsonPropertyName("service")] public string Service { get; init; } = "";

    [JsonPropertyName("request")] public JsonElement? Request { get; init; }

    /// <summary>
    /// Names this call's result in <c>data</c> and in per-target payloads (<c>target</c>); unique within a run.
    /// Defaults to <c>&lt;service&gt;#&lt;index&gt;</c>, the index being zero-based in
    /// <see cref="InvokeFanout.Calls"/>.
    /// </summary>
    [JsonPropertyName("key")] public string? Key { get; init; }

    /// <summary>Overrides the run's <see cref="InvokeFanout.Retry"/> for this call.</summary>
    [JsonPropertyName("retry")] public RetryPolicy? Retry { get; init; }
}
