using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Published once per named final callback after every target finished; routed like
/// <see cref="TargetCallbackRequested"/>.
/// </summary>
public sealed record FinalCallbackRequested
{
    [JsonPropertyName("callback")] public required string Callback { get; init; }
    [JsonPropertyName("channel")] public string Channel { get; init; } = Channels.FanoutOnFinal;
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("payload")] public required FinalPayload Payload { get; init; }
}
