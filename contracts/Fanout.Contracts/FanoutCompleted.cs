using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>Every target of a fan-out or parallel execution finished; final callbacks were requested.</summary>
public sealed record FanoutCompleted
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("target_count")] public int TargetCount { get; init; }
    [JsonPropertyName("failed_count")] public int FailedCount { get; init; }
    [JsonPropertyName("completed_ts_utc")] public DateTime CompletedAtUtc { get; init; }
}
