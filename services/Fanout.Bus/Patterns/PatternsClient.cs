using Fanout.Bus.Authoring;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Bus.Patterns;

/// <summary>
/// Publishes <see cref="InvokeFanout"/> and waits for the orchestrator's answer, so a refused request
/// (duplicate CID, bad names) surfaces as an exception at the call site instead of silently.
/// </summary>
internal sealed class PatternsClient(IBus bus, string source, TimeSpan acknowledgeTimeout) :
    IFanoutPatterns, IFanoutClient, IParallelClient
{
    public IFanoutClient Fanout => this;
    public IParallelClient Parallel => this;

    Task<string> IFanoutClient.InvokeAsync(IReadOnlyDictionary<string, object?> targets, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks, string? cid, RunOptions? options, CancellationToken cancellationToken) =>
        InvokeAsync(InvocationMode.Fanout, targets, finalCallbacks.ToList(), targetCallbacks?.ToList() ?? [], cid, options, cancellationToken);

    Task<string> IParallelClient.InvokeAsync(IReadOnlyDictionary<string, object?> targets, IEnumerable<string> callbacks,
        string? cid, RunOptions? options, CancellationToken cancellationToken) =>
        InvokeAsync(InvocationMode.Parallel, targets, [], callbacks.ToList(), cid, options, cancellationToken);

    Task<string> InvokeAsync(string mode, IReadOnlyDictionary<string, object?> targets, List<string> onFinal,
        List<string> onTarget, string? cid, RunOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return InvokeAsync(new InvokeFanout
        {
            Cid = cid,
            Mode = mode,
            Targets = targets.ToDictionary(t => t.Key, t => FanoutJson.ToElement(t.Value) ?? FanoutJson.Null),
            OnFinal = onFinal,
            OnTarget = onTarget,
            DeadlineMs = options?.DeadlineMs,
            MaxConcurrency = options?.MaxConcurrency,
        }, cancellationToken);
    }

    public async Task<string> InvokeAsync(InvokeFanout request, CancellationToken cancellationToken = default)
    {
        var given = request.Cid;
        request = RunRequests.Complete(request, source);
        var problems = FanoutRequestValidator.Problems(request);
        if (problems.Count > 0)
            throw new FanoutRequestException(given, problems);

        var client = bus.CreateRequestClient<InvokeFanout>(RequestTimeout.After(ms: (int)acknowledgeTimeout.TotalMilliseconds));
        try
        {
            var response = await client.GetResponse<FanoutAccepted, FanoutRejected>(request, cancellationToken).ConfigureAwait(false);
            if (response.Is(out Response<FanoutRejected>? rejected))
                throw new FanoutRequestException(request.Cid, [rejected.Message.Reason], rejected.Message.Code);
            return request.Cid!;
        }
        catch (RequestTimeoutException)
        {
            throw new TimeoutException(
                $"The orchestrator did not acknowledge CID '{request.Cid}' within {acknowledgeTimeout.TotalSeconds:0} s; " +
                "is Fanout.Orchestrator running? The request expires with the timeout. Send it again with the same CID: " +
                "a refusal saying the CID is already in use means the first one was accepted.");
        }
    }
}
