using Fanout.Contracts;

namespace Fanout.Bus.Patterns;

/// <summary>The two invocation patterns. Inject it, or use <c>ServiceContext.Patterns</c> inside a service.</summary>
public interface IFanoutPatterns
{
    IFanoutClient Fanout { get; }
    IParallelClient Parallel { get; }

    /// <summary>
    /// Sends a request already built (for example by <c>RunRequests</c>); a missing CID, source or request time is
    /// filled in. Returns the CID. Throws <see cref="FanoutRequestException"/> when refused.
    /// </summary>
    Task<string> InvokeAsync(InvokeFanout request, CancellationToken cancellationToken = default);
}

public interface IFanoutClient
{
    /// <summary>
    /// Invokes every target at once; after all finished, each final callback runs once with every result.
    /// Returns the CID (<paramref name="cid"/> when given). Throws <see cref="FanoutRequestException"/> when refused.
    /// </summary>
    Task<string> InvokeAsync(IReadOnlyDictionary<string, object?> targets, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        CancellationToken cancellationToken = default);
}

public interface IParallelClient
{
    /// <summary>
    /// Invokes every target at once; after each finished, every callback runs with that target's result.
    /// Returns the CID (<paramref name="cid"/> when given). Throws <see cref="FanoutRequestException"/> when refused.
    /// </summary>
    Task<string> InvokeAsync(IReadOnlyDictionary<string, object?> targets, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, CancellationToken cancellationToken = default);
}

/// <summary>Optional limits of one run.</summary>
public sealed record RunOptions
{
    /// <summary>Milliseconds until unfinished targets are recorded as timed out (the orchestrator's default when null).</summary>
    public long? DeadlineMs { get; init; }

    /// <summary>At most this many targets in flight at once; the next starts as one finishes (all at once when null).</summary>
    public int? MaxConcurrency { get; init; }
}
