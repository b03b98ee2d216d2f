using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// An external system's result for one target (what the gateway's result endpoint sends). Answered with
/// <see cref="TargetResultOutcome"/>; <see cref="CompletionToken"/> must be the one the target was invoked with.
/// </summary>
public sealed record SubmitTargetResult
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("target")] public required string Target { get; init; }
    [JsonPropertyName("completion_token")] public required string CompletionToken { get; init; }
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("response")] public JsonElement? Response { get; init; }
    [JsonPropertyName("exception")] public string? Exception { get; init; }
}

/// <summary>What happened to a <see cref="SubmitTargetResult"/>.</summary>
public sealed record TargetResultOutcome
{
    public const string Recorded = "recorded";
    public const string AlreadyRecorded = "already_recorded";
    public const string Conflict = "conflict";
    public const string Late = "late";
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";

    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("target")] public required string Target { get; init; }
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("detail")] public required string Detail { get; init; }
}
