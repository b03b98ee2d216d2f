using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>What a final callback receives, once, after all targets finished.</summary>
public sealed record FinalPayload
{
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("req_ts_utc")] public DateTime RequestedAtUtc { get; init; }
    [JsonPropertyName("on_target")] public required IReadOnlyList<string> OnTarget { get; init; }
    [JsonPropertyName("on_final")] public required IReadOnlyList<string> OnFinal { get; init; }

    /// <summary>Keyed by target name.</summary>
    [JsonPropertyName("data")] public required IReadOnlyDictionary<string, TargetResultPayload> Data { get; init; }
}
