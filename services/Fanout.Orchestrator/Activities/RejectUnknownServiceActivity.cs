using Fanout.Contracts;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Refuses a run that asked for live services only (<c>require_live_services</c>); nothing is stored.
/// </summary>
public sealed class RejectUnknownServiceActivity(ILogger<RejectUnknownServiceActivity> logger)
    : FanoutActivity<InvokeFanout>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, InvokeFanout> context)
    {
        var cid = RunCid.Of(context);
        var reason = string.Join("; ", context.Saga.Warnings ?? []);
        logger.LogWarning("Fan-out {Cid} refused: {Reason}", cid, reason);
        if (context.ResponseAddress is not null)
            await context.RespondAsync(new FanoutRejected
            {
                Cid = cid, Code = FanoutRejected.UnknownService, Reason = reason,
            }).ConfigureAwait(false);
    }
}
