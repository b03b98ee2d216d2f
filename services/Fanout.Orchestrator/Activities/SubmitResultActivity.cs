using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Security;
using Fanout.Orchestrator.Targets;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// An external result for one target, with its completion token. Recorded once; a repeat of the same result is
/// answered "already recorded", a different one "conflict", one after the run ended "late"; all are logged.
/// </summary>
public sealed class SubmitResultActivity(FanoutDbContext dbContext, ResultRecorder recorder, RunProgress progress,
    CompletionTokenKey key, ILogger<SubmitResultActivity> logger) : FanoutActivity<SubmitTargetResult>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, SubmitTargetResult> context)
    {
        var saga = context.Saga;
        var message = context.Message;
        var (outcome, detail) = await Decide(saga, message, context.CancellationToken).ConfigureAwait(false);
        if (outcome != TargetResultOutcome.Recorded)
            logger.LogWarning("Result for {Target} of {Cid} not recorded: {Outcome} ({Detail})",
                message.Target, saga.Cid, outcome, detail);
        await context.RespondAsync(
                new TargetResultOutcome { Cid = saga.Cid, Target = message.Target, Outcome = outcome, Detail = detail })
            .ConfigureAwait(false);
    }

    async Task<(string, string)> Decide(FanoutSaga saga, SubmitTargetResult message,
        CancellationToken cancellationToken)
    {
        if (!key.Tokens.IsValid(saga.Cid, message.Target, message.CompletionToken))
            return (TargetResultOutcome.Forbidden,
                $"the completion token is not valid for target '{message.Target}' of this run");
        var row = await dbContext.TargetResults.AsNoTracking()
            .SingleOrDefaultAsync(r => r.CorrelationId == saga.CorrelationId && r.Target == message.Target,
                cancellationToken)
            .ConfigureAwait(false);
        if (row is null)
            return (TargetResultOutcome.NotFound, $"run '{saga.Cid}' has no target '{message.Target}'");
        if (row.Finished)
        {
            if (row.Status is TargetStates.TimedOut or TargetStates.Cancelled)
                return (TargetResultOutcome.Late,
                    $"target '{row.Target}' was already recorded as {row.Status.Replace('_', ' ')} " +
                    $"at {row.RespondedAtUtc:O}");
            return ResultRecorder.IsSame(row, message.Ok, message.Response, message.Exception)
                ? (TargetResultOutcome.AlreadyRecorded, "this result was already recorded")
                : (TargetResultOutcome.Conflict,
                    $"target '{row.Target}' already has a different result, recorded at {row.RespondedAtUtc:O}");
        }

        if (saga.CompletedAtUtc is not null)
            return (TargetResultOutcome.Late, "the run already ended");
        recorder.Record(saga, row, TargetStates.Completed, message.Ok, message.Response, message.Exception,
            respondedAtUtc: default, attempts: 1);
        await progress.AfterRecordingAsync(saga, cancellationToken).ConfigureAwait(false);
        return (TargetResultOutcome.Recorded, "recorded");
    }
}
