using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Published once per named callback after a target finished. On RabbitMQ it is routed by
/// <see cref="Callback"/> (topic exchange), so each callback's queue receives only its own.
/// </summary>
public sealed record TargetCallbackRequested
{
    [JsonPropertyName("callback")] public required string Callback { get; init; }
    [JsonPropertyName("channel")] public required string Channel { get; init; }
    [JsonPropertyName("payload")] public required TargetResultPayload Payload { get; init; }
}
