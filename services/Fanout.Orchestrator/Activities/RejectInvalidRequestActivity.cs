using Fanout.Bus.Poison;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>Answers an invalid request with every problem found (or, with nobody to answer, faults it into the _error queue); nothing is stored.</summary>
public sealed class RejectInvalidRequestActivity(ILogger<RejectInvalidRequestActivity> logger) : FanoutActivity<InvokeFanout>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, InvokeFanout> context)
    {
        var reason = string.Join("; ", FanoutRequestValidator.Problems(context.Message));
        var cid = RunCid.Of(context);
        // A sender with no reply address would never learn of the refusal: the _error queue keeps it, with the reason.
        if (context.ResponseAddress is null)
            throw new UnprocessableMessageException($"fan-out {cid} refused: {reason}");
        logger.LogWarning("Fan-out {Cid} refused: {Reason}", cid, reason);
        await context.RespondAsync(new FanoutRejected { Cid = cid, Code = FanoutRejected.InvalidRequest, Reason = reason }).ConfigureAwait(false);
    }
}
