using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>Answers an invalid request with every problem found; nothing is stored.</summary>
public sealed class RejectInvalidRequestActivity(ILogger<RejectInvalidRequestActivity> logger) : FanoutActivity<InvokeFanout>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, InvokeFanout> context)
    {
        var reason = string.Join("; ", FanoutRequestValidator.Problems(context.Message));
        var cid = RunCid.Of(context);
        logger.LogWarning("Fan-out {Cid} refused: {Reason}", cid, reason);
        await context.RespondAsync(new FanoutRejected { Cid = cid, Code = FanoutRejected.InvalidRequest, Reason = reason }).ConfigureAwait(false);
    }
}
