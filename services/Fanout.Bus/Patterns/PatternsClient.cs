using Fanout.Bus.Requests;
using Fanout.Bus.Waiting;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Bus.Patterns;

/// <summary>
/// Sends each <see cref="InvokeFanout"/> to the orchestrator (with those submitted at the same time, see
/// <see cref="RunSubmissions"/>) and waits for its answer, so a refused request (duplicate CID, bad names) surfaces as
/// an exception at the call site instead of silently.
/// </summary>
internal sealed class PatternsClient : IFanoutPatterns
{
    readonly RunSubmissions _submissions;
    readonly string _source;
    readonly TimeSpan _acknowledgeTimeout;
    readonly RunWaiter _waiter;
    readonly RunStatusReader _status;
    readonly TimeProvider _time;

    public PatternsClient(RunSubmissions submissions, string source, TimeSpan acknowledgeTimeout, RunWaiter waiter,
        RunStatusReader status, TimeProvider time)
    {
        (_submissions, _source, _acknowledgeTimeout, _waiter, _status, _time) =
            (submissions, source, acknowledgeTimeout, waiter, status, time);
        Fanout = new FanoutClient(this);
        Parallel = new ParallelClient(this);
    }

    public IFanoutClient Fanout { get; }
    public IParallelClient Parallel { get; }

    /// <summary>The request every typed overload builds: targets and/or calls, callbacks, options.</summary>
    internal static InvokeFanout Build(string mode, IReadOnlyDictionary<string, object?>? targets,
        IEnumerable<Call>? calls, IEnumerable<string> onFinal, IEnumerable<string>? onTarget, string? cid,
        RunOptions? options) => new()
    {
        Cid = cid,
        Mode = mode,
        Targets = targets?.ToDictionary(t => t.Key, t => FanoutJson.ToElement(t.Value) ?? FanoutJson.Null) ?? [],
        Calls = calls?.ToList(),
        OnFinal = onFinal.ToList(),
        OnTarget = onTarget?.ToList() ?? [],
        DeadlineMs = options?.DeadlineMs,
        MaxConcurrency = options?.MaxConcurrency,
        Retry = options?.Retry,
        FailFast = options?.FailFast == true ? true : null,
        Quorum = options?.Quorum,
    };

    public async Task<string> InvokeAsync(InvokeFanout request, CancellationToken cancellationToken = default)
    {
        var given = request.Cid;
        request = RunRequests.Complete(request, _source, _time);
        var problems = FanoutRequestValidator.Problems(request);
        if (problems.Count > 0)
            throw new FanoutRequestException(given, problems);

        try
        {
            var answer = await _submissions.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
            if (answer.Rejected is { } rejected)
                throw new FanoutRequestException(request.Cid, [rejected.Reason], rejected.Code);
            return request.Cid!;
        }
        catch (RequestTimeoutException)
        {
            throw new TimeoutException(
                $"The orchestrator did not acknowledge CID '{request.Cid}' " +
                $"within {_acknowledgeTimeout.TotalSeconds:0} s; " +
                "is Fanout.Orchestrator running? The request expires with the timeout. " +
                "Send it again with the same CID: " +
                "a refusal saying the CID is already in use means the first one was accepted.");
        }
    }

    public async Task<RunResult> InvokeAndWaitAsync(InvokeFanout request, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var cid = await InvokeAsync(request, cancellationToken).ConfigureAwait(false);
        return await WaitForResultAsync(cid, timeout, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RunResult> WaitForResultAsync(string cid, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var run = await _waiter
                .WaitAsync(cid, timeout ?? Timeout.InfiniteTimeSpan, cancellationToken: cancellationToken)
                .ConfigureAwait(false)
            ?? throw new KeyNotFoundException(
                $"No run with CID '{cid}' (finished runs are kept for the retention period only).");
        if (run.State == FanoutStates.Running)
            throw new TimeoutException(
                $"Run '{cid}' is still running after {timeout}: {run.FinishedCount} of {run.TargetCount} targets " +
                "finished. It keeps running; wait again with WaitForResultAsync.");

        var results = new Dictionary<string, TargetResultPayload>(run.TargetCount, StringComparer.Ordinal);
        await foreach (var (key, result) in ReadResultsAsync(cid, cancellationToken).ConfigureAwait(false))
            results[key] = result;
        return new RunResult(run, results);
    }

    public IAsyncEnumerable<KeyValuePair<string, TargetResultPayload>> ReadResultsAsync(string cid,
        CancellationToken cancellationToken = default) =>
        _status.ReadResultsAsync(cid, cancellationToken);
}
