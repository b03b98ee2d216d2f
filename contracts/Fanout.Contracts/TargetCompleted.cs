using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>A target finished, ok or with an exception. Duplicates are ignored by target name.</summary>
public sealed record TargetCompleted
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("target")] public required string Target { get; init; }
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("response")] public JsonElement? Response { get; init; }

    /// <summary>Full exception text when <see cref="Ok"/> is false.</summary>
    [JsonPropertyName("exception")] public string? Exception { get; init; }

    [JsonPropertyName("req_ts_utc")] public DateTime RequestedAtUtc { get; init; }
    [JsonPropertyName("resp_ts_utc")] public DateTime RespondedAtUtc { get; init; }
}
