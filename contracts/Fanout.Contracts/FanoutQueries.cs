using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Asks the orchestrator for one run's state; answered with <see cref="FanoutStatus"/> or <see cref="FanoutNotFound"/>.
/// </summary>
public sealed record GetFanoutStatus
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }

    /// <summary>Skip this many targets (in request order): big runs are read a page at a time.</summary>
    [JsonPropertyName("targets_offset")] public int TargetsOffset { get; init; }

    /// <summary>At most this many targets in the answer; the orchestrator caps it (<c>MaxStatusPage</c>).</summary>
    [JsonPropertyName("targets_limit")] public int? TargetsLimit { get; init; }
}

/// <summary>Asks for runs, newest first; answered with <see cref="FanoutList"/>.</summary>
public sealed record ListFanouts
{
    [JsonPropertyName("state")] public string? State { get; init; }
    [JsonPropertyName("limit")] public int Limit { get; init; } = 50;

    /// <summary>Only runs requested before this instant (the previous page's last <c>req_ts_utc</c>).</summary>
    [JsonPropertyName("before")] public DateTime? Before { get; init; }

    /// <summary>Only runs of this mode (<c>fanout</c> or <c>parallel</c>).</summary>
    [JsonPropertyName("mode")] public string? Mode { get; init; }

    /// <summary>Only runs with at least one target calling this service.</summary>
    [JsonPropertyName("service")] public string? Service { get; init; }

    /// <summary>Only runs whose CID starts with this text.</summary>
    [JsonPropertyName("cid_prefix")] public string? CidPrefix { get; init; }

    /// <summary>Only runs with a target of this key.</summary>
    [JsonPropertyName("key")] public string? Key { get; init; }

    /// <summary>Also count the runs per state under the other filters (state and before excepted).</summary>
    [JsonPropertyName("counts")] public bool Counts { get; init; }
}

public sealed record FanoutNotFound
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
}

public sealed record FanoutList
{
    [JsonPropertyName("items")] public required IReadOnlyList<FanoutSummary> Items { get; init; }

    /// <summary>The <c>before</c> of the next page, or null when this page is the last.</summary>
    [JsonPropertyName("next_before")] public DateTime? NextBefore { get; init; }

    /// <summary>Runs per public state under the filters, when asked for (<see cref="ListFanouts.Counts"/>).</summary>
    [JsonPropertyName("counts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, int>? Counts { get; init; }
}

/// <summary>One run without its per-target results.</summary>
public record FanoutSummary
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("req_ts_utc")] public DateTime RequestedAtUtc { get; init; }
    [JsonPropertyName("deadline_utc")] public DateTime DeadlineUtc { get; init; }
    [JsonPropertyName("finished_ts_utc")] public DateTime? FinishedAtUtc { get; init; }
    [JsonPropertyName("target_count")] public int TargetCount { get; init; }
    [JsonPropertyName("finished_count")] public int FinishedCount { get; init; }
    [JsonPropertyName("failed_count")] public int FailedCount { get; init; }
    [JsonPropertyName("max_concurrency")] public int? MaxConcurrency { get; init; }

    /// <summary>The run ends at the first target that failed after its retries.</summary>
    [JsonPropertyName("fail_fast"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? FailFast { get; init; }

    /// <summary>The run ends once this many targets finished ok.</summary>
    [JsonPropertyName("quorum"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Quorum { get; init; }

    [JsonPropertyName("on_target")] public required IReadOnlyList<string> OnTarget { get; init; }
    [JsonPropertyName("on_final")] public required IReadOnlyList<string> OnFinal { get; init; }

    /// <summary>
    /// <c>pending</c> until every target finished, then <c>requested</c> (the final callbacks were queued).
    /// </summary>
    [JsonPropertyName("final_callbacks")] public required string FinalCallbacks { get; init; }

    /// <summary>What was wrong but not fatal when the run started: services no live host served.</summary>
    [JsonPropertyName("warnings"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Warnings { get; init; }
}

/// <summary>One run with every target's state and, once finished, its payload.</summary>
public sealed record FanoutStatus : FanoutSummary
{
    /// <summary>Keyed by target key (the service name for plain targets), in request order; one page of them.</summary>
    [JsonPropertyName("targets")] public required IReadOnlyDictionary<string, TargetStatus> Targets { get; init; }

    /// <summary>Where this page of <see cref="Targets"/> starts.</summary>
    [JsonPropertyName("targets_offset")] public int TargetsOffset { get; init; }

    /// <summary>The offset of the next page, or null when this page holds the last target.</summary>
    [JsonPropertyName("next_targets_offset")] public int? NextTargetsOffset { get; init; }
}

public sealed record TargetStatus
{
    [JsonPropertyName("status")] public required string Status { get; init; }

    /// <summary>The service the call went to (the key itself for plain targets).</summary>
    [JsonPropertyName("service")] public string? Service { get; init; }

    /// <summary>How many times the target was tried (retries included); 0 until it finished.</summary>
    [JsonPropertyName("attempts")] public int Attempts { get; init; }

    [JsonPropertyName("invoked_ts_utc")] public DateTime? InvokedAtUtc { get; init; }
    [JsonPropertyName("request")] public JsonElement? Request { get; init; }

    /// <summary>The per-target payload once the target finished, else null.</summary>
    [JsonPropertyName("result")] public TargetResultPayload? Result { get; init; }
}
