namespace Fanout.Bus;

/// <summary>How a host runs its services' calls; bound from <c>Fanout:Services</c>.</summary>
public sealed class ServiceHostSettings
{
    /// <summary>
    /// At most this many calls of one service run at once in this process, across every chunk in flight
    /// (the endpoint's prefetch decides how many chunks are in flight).
    /// </summary>
    public int CallConcurrency { get; set; } = 32;

    /// <summary>
    /// At most this many results in one <c>CallsCompletedForRuns</c>. Results are sent by opportunity, not by timer:
    /// at once when no send of the service is in flight, else together with the next send.
    /// </summary>
    public int ResultBatchSize { get; set; } = 200;

    /// <summary>How often the process tells the directory which services it hosts (zero: never).</summary>
    public TimeSpan AnnounceInterval { get; set; } = TimeSpan.FromSeconds(5);
}
