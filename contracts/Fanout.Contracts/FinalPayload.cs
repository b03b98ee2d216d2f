using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>What a final callback receives, once, after all targets finished.</summary>
public sealed record FinalPayload
{
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("req_ts_utc")] public DateTime RequestedAtUtc { get; init; }
    [JsonPropertyName("on_target")] public required IReadOnlyList<string> OnTarget { get; init; }
    [JsonPropertyName("on_final")] public required IReadOnlyList<string> OnFinal { get; init; }

    /// <summary>
    /// Keyed by target key (the service name for plain targets). Empty when <see cref="DataRef"/> is set.
    /// </summary>
    [JsonPropertyName("data")] public required IReadOnlyDictionary<string, TargetResultPayload> Data { get; init; }

    /// <summary>
    /// Set instead of <see cref="Data"/> when the run has more targets than the orchestrator inlines
    /// (<c>Fanout:Orchestrator:InlineResultsLimit</c>): read the results a page at a time with
    /// <see cref="GetFanoutStatus"/> (the C# client: <c>ReadResultsAsync</c>).
    /// </summary>
    [JsonPropertyName("data_ref"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ResultsReference? DataRef { get; init; }
}

/// <summary>Where the results of a big run are read from.</summary>
public sealed record ResultsReference
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("target_count")] public int TargetCount { get; init; }
}
