using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Records a batch of completions: each target's first result wins, repeats are logged and ignored. For each
/// newly finished target every per-target callback is queued.
/// </summary>
public sealed class RecordResultsActivity(FanoutDbContext dbContext, OutboxSession outbox, ILogger<RecordResultsActivity> logger)
    : FanoutActivity<RecordTargetResults>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, RecordTargetResults> context)
    {
        var saga = context.Saga;
        var names = context.Message.Results.Select(r => r.Target).Distinct().ToList();
        var rows = await dbContext.TargetResults.AsTracking()
            .Where(r => r.CorrelationId == saga.CorrelationId && names.Contains(r.Target))
            .ToDictionaryAsync(r => r.Target, context.CancellationToken).ConfigureAwait(false);

        var channel = saga.Mode == InvocationMode.Parallel ? Channels.ParallelExecOnTarget : Channels.FanoutOnTarget;
        foreach (var result in context.Message.Results)
        {
            if (!rows.TryGetValue(result.Target, out var row))
            {
                logger.LogWarning("Result for unknown target {Target} of {Cid} ignored", result.Target, saga.Cid);
                continue;
            }

            if (row.Finished)
            {
                logger.LogInformation("Repeated result for target {Target} of {Cid} ignored", result.Target, saga.Cid);
                continue;
            }

            row.Finished = true;
            row.Ok = result.Ok;
            row.ResponseJson = result.Response?.GetRawText();
            row.Exception = result.Ok ? null : result.Exception ?? "The target reported a failure without exception text.";
            row.RespondedAtUtc = result.RespondedAtUtc == default ? DateTime.UtcNow : result.RespondedAtUtc.ToUniversalTime();
            saga.FinishedCount++;
            if (!result.Ok)
                saga.FailedCount++;

            if (saga.OnTarget.Count == 0)
                continue;
            var payload = ResultPayloads.From(saga, row);
            foreach (var callback in saga.OnTarget)
                outbox.Publish(new TargetCallbackRequested { Callback = callback, Channel = channel, Payload = payload }, saga.Cid);
        }
    }
}
