using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// A chunk of one run's calls to one service, sent by the orchestrator to the queue named after
/// <see cref="Service"/>. Carrying many calls per message is what makes big maps cheap on the broker;
/// the service answers with <see cref="CallsCompleted"/> batches.
/// </summary>
public sealed record InvokeCalls
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("service")] public required string Service { get; init; }
    [JsonPropertyName("channel")] public required string Channel { get; init; }
    [JsonPropertyName("req_ts_utc")] public DateTime RequestedAtUtc { get; init; }

    /// <summary>
    /// The orchestrator's id of this chunk (its MessageId when it travels alone), set when it travels in
    /// <see cref="InvokeCallsForRuns"/>: a service runs a chunk once per id, however it was batched.
    /// </summary>
    [JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? Id { get; init; }

    /// <summary>One or more calls (typically up to a few hundred), each with its own key.</summary>
    [JsonPropertyName("calls")] public required IReadOnlyList<CallInvocation> Calls { get; init; }
}

/// <summary>One call inside <see cref="InvokeCalls"/>.</summary>
public sealed record CallInvocation
{
    /// <summary>Unique within the run; results are reported under it.</summary>
    [JsonPropertyName("key")] public required string Key { get; init; }

    [JsonPropertyName("request")] public JsonElement? Request { get; init; }

    /// <summary>
    /// Proves the right to post this call's result to <see cref="CallbackUrl"/>; bound to the CID and key.
    /// </summary>
    [JsonPropertyName("completion_token")] public string? CompletionToken { get; init; }

    /// <summary>Where an external system posts this call's result (the gateway).</summary>
    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }

    /// <summary>The policy in force for this call (per call, else the run's); none means one attempt.</summary>
    [JsonPropertyName("retry")] public RetryPolicy? Retry { get; init; }
}
