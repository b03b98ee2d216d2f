using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>What a per-target callback receives, and one value of <see cref="FinalPayload.Data"/>.</summary>
public sealed record TargetResultPayload
{
    [JsonPropertyName("source")] public required string Source { get; init; }

    /// <summary>The call's key; for a plain target, the service name.</summary>
    [JsonPropertyName("target")] public required string Target { get; init; }

    /// <summary>
    /// The service that ran the call; left out when unknown, so payloads without calls keep the reference keys.
    /// </summary>
    [JsonPropertyName("service"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Service { get; init; }

    [JsonPropertyName("response")] public JsonElement? Response { get; init; }
    [JsonPropertyName("req_ts_utc")] public DateTime RequestedAtUtc { get; init; }
    [JsonPropertyName("resp_ts_utc")] public DateTime RespondedAtUtc { get; init; }
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("exception")] public string? Exception { get; init; }
    [JsonPropertyName("cid")] public required string Cid { get; init; }
}
