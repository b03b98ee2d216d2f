using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Published by every process that hosts services, at start and every <see cref="IntervalMs"/>: the orchestrator
/// keeps what it heard in its store (the directory) and forgets an instance after it missed a few announcements.
/// </summary>
public sealed record ServicesAnnounced
{
    /// <summary>Unique per process start, so a restarted process on the same host is a new instance.</summary>
    [JsonPropertyName("instance_id")] public required string InstanceId { get; init; }
    [JsonPropertyName("services")] public required IReadOnlyList<string> Services { get; init; }
    [JsonPropertyName("host")] public required string Host { get; init; }
    [JsonPropertyName("process_id")] public int ProcessId { get; init; }
    [JsonPropertyName("version")] public required string Version { get; init; }

    /// <summary>Calls of one service this process runs at once.</summary>
    [JsonPropertyName("concurrency")] public int Concurrency { get; init; }
    [JsonPropertyName("started_at_utc")] public DateTime StartedAtUtc { get; init; }

    /// <summary>The next announcement follows within this; 0 says the process is stopping (forget it now).</summary>
    [JsonPropertyName("interval_ms")] public long IntervalMs { get; init; }

    /// <summary>
    /// This process's calls of each service it hosts, as they stood when it announced; absent from hosts that predate
    /// the counters.
    /// </summary>
    [JsonPropertyName("calls")] public IReadOnlyDictionary<string, ServiceCallCounts>? Calls { get; init; }
}

/// <summary>
/// One process's calls of one service (targets and callbacks): running now, and finished in the last minute, so the
/// instances of a service add up to the service's calls per minute whenever each was started.
/// </summary>
public sealed record ServiceCallCounts
{
    /// <summary>Handlers running at this moment (at most the instance's concurrency).</summary>
    [JsonPropertyName("in_flight")] public int InFlight { get; init; }

    /// <summary>Calls finished (ok or not) in the 60 s before the announcement; a retried call counts once.</summary>
    [JsonPropertyName("calls_last_minute")] public long CallsLastMinute { get; init; }

    /// <summary>Of those, the calls that ended with an exception (after their last attempt).</summary>
    [JsonPropertyName("failures_last_minute")] public long FailuresLastMinute { get; init; }

    /// <summary>Calls finished since the process started (<c>started_at_utc</c>).</summary>
    [JsonPropertyName("calls_total")] public long CallsTotal { get; init; }

    [JsonPropertyName("failures_total")] public long FailuresTotal { get; init; }
}

/// <summary>Asks for the live services; answered with <see cref="ServiceList"/>.</summary>
public sealed record ListServices;

public sealed record ServiceList
{
    /// <summary>Sorted by service name; only instances that were heard from recently enough.</summary>
    [JsonPropertyName("services")] public required IReadOnlyList<LiveService> Services { get; init; }
}

public sealed record LiveService
{
    [JsonPropertyName("service")] public required string Service { get; init; }
    [JsonPropertyName("instances")] public required IReadOnlyList<ServiceInstanceInfo> Instances { get; init; }
}

public sealed record ServiceInstanceInfo
{
    [JsonPropertyName("host")] public required string Host { get; init; }
    [JsonPropertyName("process_id")] public int ProcessId { get; init; }
    [JsonPropertyName("version")] public required string Version { get; init; }
    [JsonPropertyName("concurrency")] public int Concurrency { get; init; }
    [JsonPropertyName("started_at_utc")] public DateTime StartedAtUtc { get; init; }
    [JsonPropertyName("last_seen_utc")] public DateTime LastSeenUtc { get; init; }

    /// <summary>The calls as of <see cref="LastSeenUtc"/>; null when the host does not report them.</summary>
    [JsonPropertyName("calls")] public ServiceCallCounts? Calls { get; init; }
}

/// <summary>The warning a run gets for each service or callback no live host serves.</summary>
public static class ServiceWarnings
{
    public const string UnknownServiceCode = "unknown_service";

    public static string NoLiveHost(string service) => $"no live host serves '{service}'";
}
