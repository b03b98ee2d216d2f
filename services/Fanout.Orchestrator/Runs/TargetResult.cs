namespace Fanout.Orchestrator.Runs;

/// <summary>
/// One target or call of one fan-out, keyed by <see cref="Target"/> (the call's key): its request, and its outcome once
/// finished.
/// </summary>
public sealed class TargetResult
{
    public Guid CorrelationId { get; set; }

    /// <summary>The key: a call's key, or the service name of a plain target. Unique within a run.</summary>
    public string Target { get; set; } = "";

    /// <summary>The service the call goes to (for a plain target, <see cref="Target"/>).</summary>
    public string Service { get; set; } = "";

    /// <summary>
    /// Position in the request (0..n-1, dense), so pending targets are invoked in order and pages are ranges.
    /// </summary>
    public int Ordinal { get; set; }

    public string RequestJson { get; set; } = "null";

    /// <summary>
    /// The retry policy in force for this call as JSON, or null for one attempt; kept for calls invoked later
    /// (max_concurrency).
    /// </summary>
    public string? RetryJson { get; set; }

    /// <summary>One of <c>TargetStates</c>.</summary>
    public string Status { get; set; } = "";

    public DateTime? InvokedAtUtc { get; set; }
    public bool Finished { get; set; }
    public bool Ok { get; set; }

    /// <summary>
    /// Attempts the service ran (retries included); 0 until finished, or when the reporter did not count.
    /// </summary>
    public int Attempts { get; set; }

    public string? ResponseJson { get; set; }
    public string? Exception { get; set; }
    public DateTime? RespondedAtUtc { get; set; }
}
