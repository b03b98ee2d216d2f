using Fanout.Bus.Naming;
using Fanout.Bus.Patterns;

namespace Fanout.Bus.Authoring;

/// <summary>What a handler knows about the call it is serving.</summary>
public sealed class ServiceContext
{
    /// <summary>The name of the service being invoked.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The correlation id of the fan-out or parallel execution.</summary>
    public required string Cid { get; init; }

    /// <summary>The service that started the fan-out or parallel execution.</summary>
    public required string Source { get; init; }

    /// <summary>One of <see cref="Fanout.Contracts.Channels"/>.</summary>
    public required string Channel { get; init; }

    /// <summary>
    /// The key the result is reported under: the call's key, or the service name for a plain target;
    /// null for callbacks.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>
    /// 1 for the first attempt; higher when the call's retry policy runs it again after an exception.
    /// </summary>
    public int Attempt { get; init; } = 1;

    /// <summary>When the orchestrator issued the request (UTC).</summary>
    public DateTime RequestedAtUtc { get; init; }

    /// <summary>Start fan-outs and parallel executions with this service as their source.</summary>
    public required IFanoutPatterns Patterns { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>For targets: the token an external system presents when it posts this target's result.</summary>
    public string? CompletionToken { get; init; }

    /// <summary>
    /// For targets: one opaque, URL-safe string naming this run and target and carrying the completion token. A partner
    /// that knows only a job id can use it as that id and post its result body to the gateway's <c>/v1/results</c>.
    /// </summary>
    public string? CompletionHandle =>
        CompletionToken is null || Key is null ? null : CompletionHandles.Create(Cid, Key, CompletionToken);

    /// <summary>For targets: where an external system posts this target's result (the gateway).</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>
    /// True after <see cref="Defer"/>: the target finishes when its result is posted, not when the handler returns.
    /// </summary>
    public bool IsDeferred { get; private set; }

    /// <summary>
    /// Says "accepted; the result will come from outside". The handler's return value is then ignored and the run
    /// waits (until its deadline) for the result posted to <see cref="CallbackUrl"/> with
    /// <see cref="CompletionToken"/>, posted to <c>/v1/results</c> with <see cref="CompletionHandle"/>, or published as
    /// <c>TargetCompleted</c>.
    /// </summary>
    public void Defer()
    {
        if (CompletionToken is null)
            throw new InvalidOperationException("Only a target can defer its result; callbacks cannot.");
        IsDeferred = true;
    }
}
