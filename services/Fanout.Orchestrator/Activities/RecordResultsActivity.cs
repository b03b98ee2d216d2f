using Fanout.Contracts;
using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Targets;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Records a batch of completions: each target's first result wins, repeats are logged and ignored. Freed slots
/// go to pending targets when the run has a <c>max_concurrency</c>.
/// </summary>
public sealed class RecordResultsActivity(FanoutDbContext dbContext, ResultRecorder recorder, TargetInvoker invoker,
    ILogger<RecordResultsActivity> logger) : FanoutActivity<RecordTargetResults>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, RecordTargetResults> context)
    {
        var saga = context.Saga;
        var names = context.Message.Results.Select(r => r.Target).Distinct().ToList();
        var rows = await dbContext.TargetResults.AsTracking()
            .Where(r => r.CorrelationId == saga.CorrelationId && names.Contains(r.Target))
            .ToDictionaryAsync(r => r.Target, context.CancellationToken).ConfigureAwait(false);

        foreach (var result in context.Message.Results)
        {
            if (!rows.TryGetValue(result.Target, out var row))
                logger.LogWarning("Result for unknown target {Target} of {Cid} ignored", result.Target, saga.Cid);
            else if (row.Finished)
                logger.LogInformation("Repeated result for target {Target} of {Cid} ignored", result.Target, saga.Cid);
            else
                recorder.Record(saga, row, TargetStates.Completed, result.Ok, result.Response, result.Exception, result.RespondedAtUtc);
        }

        await invoker.InvokePendingAsync(saga, context.CancellationToken).ConfigureAwait(false);
    }
}
