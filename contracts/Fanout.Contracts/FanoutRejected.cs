using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>An <see cref="InvokeFanout"/> was refused; nothing was started and no running fan-out was touched.</summary>
public sealed record FanoutRejected
{
    [JsonPropertyName("cid")] public string? Cid { get; init; }
    [JsonPropertyName("reason")] public required string Reason { get; init; }
}
