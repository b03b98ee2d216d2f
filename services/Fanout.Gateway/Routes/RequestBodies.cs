using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Gateway.Routes;

/// <summary>Body of <c>POST /v1/fanouts</c>.</summary>
public sealed record FanoutBody
{
    [JsonPropertyName("targets")] public Dictionary<string, JsonElement>? Targets { get; init; }
    [JsonPropertyName("on_final")] public List<string>? OnFinal { get; init; }
    [JsonPropertyName("on_target")] public List<string>? OnTarget { get; init; }
    [JsonPropertyName("cid")] public string? Cid { get; init; }
    [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("deadline_ms")] public long? DeadlineMs { get; init; }
    [JsonPropertyName("max_concurrency")] public int? MaxConcurrency { get; init; }
}

/// <summary>Body of <c>POST /v1/parallel</c>.</summary>
public sealed record ParallelBody
{
    [JsonPropertyName("targets")] public Dictionary<string, JsonElement>? Targets { get; init; }
    [JsonPropertyName("callbacks")] public List<string>? Callbacks { get; init; }
    [JsonPropertyName("cid")] public string? Cid { get; init; }
    [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("deadline_ms")] public long? DeadlineMs { get; init; }
    [JsonPropertyName("max_concurrency")] public int? MaxConcurrency { get; init; }
}

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
    [property: JsonPropertyName("status_url")] string StatusUrl);
