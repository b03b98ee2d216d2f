using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Ends a run: unfinished targets are recorded <c>ok=false</c> as cancelled and the fan-in runs once.
/// </summary>
public sealed record CancelFanout
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
}
