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

    /// <summary>
    /// Sends <paramref name="request"/> and waits for its result, as <see cref="WaitForResultAsync"/>.
    /// </summary>
    Task<RunResult> InvokeAndWaitAsync(InvokeFanout request, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until run <paramref name="cid"/> ended, then reads every target's payload. Null <paramref name="timeout"/>
    /// waits until the run ends (its deadline ends it at the latest). Throws <see cref="TimeoutException"/> when the
    /// run is still running after <paramref name="timeout"/>, <see cref="KeyNotFoundException"/> when there is no such
    /// run.
    /// </summary>
    Task<RunResult> WaitForResultAsync(string cid, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Every finished target's payload of run <paramref name="cid"/>, read from the orchestrator a page at a time. A
    /// final callback whose payload has <see cref="FinalPayload.DataRef"/> set (a run too big to inline) reads its data
    /// here.
    /// </summary>
    IAsyncEnumerable<KeyValuePair<string, TargetResultPayload>> ReadResultsAsync(string cid,
        CancellationToken cancellationToken = default);
}
