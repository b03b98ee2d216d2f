using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Gateway.Routes;

// Run requests (POST /v1/fanouts, /v1/parallel) are read by Fanout.Bus.Requests.RunRequests, shared with the CLI.

/// <summary>Body of <c>POST /v1/fanouts/{cid}/targets/{target}/result</c>.</summary>
public sealed record ResultBody
{
    [JsonPropertyName("ok")] public bool? Ok { get; init; }
    [JsonPropertyName("response")] public JsonElement? Response { get; init; }
    [JsonPropertyName("exception")] public string? Exception { get; init; }

    /// <summary>Alternative to the X-Completion-Token header.</summary>
    [JsonPropertyName("completion_token")] public string? CompletionToken { get; init; }
}

/// <summary>What a submit answers with.</summary>
public sealed record AcceptedRun(
    [property: JsonPropertyName("cid")] string Cid,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("target_count")] int TargetCount,
    [property: JsonPropertyName("status_url")] string StatusUrl,
    [property: JsonPropertyName("warnings"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? Warnings = null);
