using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>The answer to <see cref="CancelFanout"/>.</summary>
public sealed record CancelOutcome
{
    public const string Cancelled = "cancelled";
    public const string AlreadyFinished = "already_finished";
    public const string NotFound = "not_found";

    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }

    /// <summary>The run's state after the request.</summary>
    [JsonPropertyName("state")] public string? State { get; init; }
}
