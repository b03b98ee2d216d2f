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
}
