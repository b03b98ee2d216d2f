namespace Fanout.Bus;

/// <summary>How a host runs its services' calls; bound from <c>Fanout:Services</c>.</summary>
public sealed class ServiceHostSettings
{
    /// <summary>
    /// At most this many calls of one service run at once in this process, across every chunk in flight
    /// (the endpoint's prefetch decides how many chunks are in flight).
    /// </summary>
    public int CallConcurrency { get; set; } = 32;

    /// <summary>A <c>CallsCompleted</c> is published once this many results are waiting...</summary>
    public int ResultBatchSize { get; set; } = 200;

    /// <summary>
    /// ...or once the oldest waiting result is this old, so fast calls are not held back by slow ones.
    /// </summary>
    public TimeSpan ResultFlushInterval { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How often the process tells the directory which services it hosts (zero: never).</summary>
    public TimeSpan AnnounceInterval { get; set; } = TimeSpan.FromSeconds(5);
}
