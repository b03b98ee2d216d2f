using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// A target finished, ok or with an exception. Duplicates are ignored by target name (a call's key).
/// Also accepted from third parties; <see cref="Service"/> and <see cref="Attempts"/> are optional.
/// </summary>
public sealed record TargetCompleted
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }

    /// <summary>The target name, or a call's key.</summary>
    [JsonPropertyName("target")] public required string Target { get; init; }

    /// <summary>The service that ran it, when the reporter knows.</summary>
    [JsonPropertyName("service"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Service { get; init; }

    /// <summary>How many attempts ran, when the reporter counts them.</summary>
    [JsonPropertyName("attempts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Attempts { get; init; }

    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("response")] public JsonElement? Response { get; init; }

    /// <summary>Full exception text when <see cref="Ok"/> is false.</summary>
    [JsonPropertyName("exception")] public string? Exception { get; init; }

    [JsonPropertyName("req_ts_utc")] public DateTime RequestedAtUtc { get; init; }
    [JsonPropertyName("resp_ts_utc")] public DateTime RespondedAtUtc { get; init; }
}
