namespace Fanout.Orchestrator.LiveServices;

/// <summary>
/// One service hosted by one process, as its last announcement said; a row of <c>service_instances</c>.
/// </summary>
public sealed class ServiceInstance
{
    public string Service { get; set; } = "";

    /// <summary>The announcing process (<c>ServicesAnnounced.InstanceId</c>).</summary>
    public string InstanceId { get; set; } = "";
    public string Host { get; set; } = "";
    public int ProcessId { get; set; }
    public string Version { get; set; } = "";
    public int Concurrency { get; set; }
    public DateTime StartedAtUtc { get; set; }
    public DateTime LastSeenUtc { get; set; }

    /// <summary>The announcement's call counts (<c>ServiceCallCounts</c>); null when the host does not send them.
    /// </summary>
    public int? InFlight { get; set; }
    public long? CallsLastMinute { get; set; }
    public long? FailuresLastMinute { get; set; }
    public long? CallsTotal { get; set; }
    public long? FailuresTotal { get; set; }

    /// <summary>Forgotten from then on: several of its announcement intervals after it was last heard.</summary>
    public DateTime ExpiresAtUtc { get; set; }
}
