using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>Sent by the orchestrator to the queue named after <see cref="Target"/>.</summary>
public sealed record InvokeTarget
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("target")] public required string Target { get; init; }
    [JsonPropertyName("channel")] public required string Channel { get; init; }
    [JsonPropertyName("request")] public JsonElement? Request { get; init; }
    [JsonPropertyName("req_ts_utc")] public DateTime RequestedAtUtc { get; init; }

    /// <summary>Proves the right to post this target's result to <see cref="CallbackUrl"/>; bound to this CID and target.</summary>
    [JsonPropertyName("completion_token")] public string? CompletionToken { get; init; }

    /// <summary>Where an external system posts this target's result (the gateway).</summary>
    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }
}
