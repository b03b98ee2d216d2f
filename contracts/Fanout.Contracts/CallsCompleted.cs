using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Results of calls of one run, published by the service host in batches while an <see cref="InvokeCalls"/> runs.
/// A key may be reported again after a redelivery; the orchestrator keeps the first result per key.
/// Deferred calls are not reported here (their result is posted later).
/// </summary>
public sealed record CallsCompleted
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("service")] public required string Service { get; init; }
    [JsonPropertyName("results")] public required IReadOnlyList<CallResult> Results { get; init; }
}

/// <summary>The outcome of one call's last attempt.</summary>
public sealed record CallResult
{
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("response")] public JsonElement? Response { get; init; }

    /// <summary>Full exception text of the last attempt when <see cref="Ok"/> is false.</summary>
    [JsonPropertyName("exception")] public string? Exception { get; init; }

    [JsonPropertyName("req_ts_utc")] public DateTime RequestedAtUtc { get; init; }
    [JsonPropertyName("resp_ts_utc")] public DateTime RespondedAtUtc { get; init; }

    /// <summary>How many attempts ran, the reported one included.</summary>
    [JsonPropertyName("attempts")] public int Attempts { get; init; } = 1;
}
