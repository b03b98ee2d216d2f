using Fanout.Contracts;

namespace Fanout.Bus.Patterns;

/// <summary>Optional limits and policies of one run.</summary>
public sealed record RunOptions
{
    /// <summary>
    /// Milliseconds until unfinished targets are recorded as timed out (the orchestrator's default when null).
    /// </summary>
    public long? DeadlineMs { get; init; }

    /// <summary>
    /// At most this many targets in flight at once; the next starts as one finishes (all at once when null).
    /// </summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>
    /// Tries a target that raised again, with a growing delay; a call's own retry wins. One attempt when null.
    /// </summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// End the run at the first target that failed after its retries; the rest are recorded as cancelled.
    /// </summary>
    public bool FailFast { get; init; }

    /// <summary>End the run once this many targets ended ok; the rest are recorded as cancelled.</summary>
    public int? Quorum { get; init; }
}
