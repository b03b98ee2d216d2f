using Fanout.Contracts;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// An <see cref="InvokeFanout"/> for a CID that already exists. A redelivery of the message that created it is
/// answered "accepted" again; any other request is refused and the running fan-out is left untouched.
/// </summary>
public sealed class AnswerRepeatedInvokeActivity(ILogger<AnswerRepeatedInvokeActivity> logger)
    : FanoutActivity<InvokeFanout>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, InvokeFanout> context)
    {
        var saga = context.Saga;
        if (context.MessageId is { } id && id == saga.InvokeMessageId)
        {
            await context.RespondAsync(new FanoutAccepted
                {
                    Cid = saga.Cid, Mode = saga.Mode, TargetCount = saga.TargetCount, Warnings = saga.Warnings,
                })
                .ConfigureAwait(false);
            return;
        }

        var cid = RunCid.Of(context);
        var reason = cid == saga.Cid
            ? $"CID '{cid}' is already in use by a {saga.Mode} started at {saga.RequestedAtUtc:O} by {saga.Source}; " +
              "choose another CID"
            : $"CID '{cid}' collides with the stored CID '{saga.Cid}'; choose another CID";
        logger.LogWarning("Duplicate CID {Cid} refused", cid);
        await context.RespondAsync(new FanoutRejected { Cid = cid, Code = FanoutRejected.CidInUse, Reason = reason })
            .ConfigureAwait(false);
    }
}
