using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// The orchestrator stored the fan-out and is invoking its targets (also the reply to <see cref="InvokeFanout"/>).
/// </summary>
public sealed record FanoutAccepted
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("target_count")] public int TargetCount { get; init; }

    /// <summary>Services and callbacks of the run that no live host serves (the run still starts).</summary>
    [JsonPropertyName("warnings"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Warnings { get; init; }
}
