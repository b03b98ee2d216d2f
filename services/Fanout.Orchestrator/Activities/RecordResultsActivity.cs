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
/// Records a batch of completions: each key's first result wins, repeats are logged and ignored. Only the batch's
/// rows are read, never the whole run. Then the run's completion policy may end it, or freed slots go to pending
/// targets (<see cref="RunProgress"/>).
/// </summary>
public sealed class RecordResultsActivity(FanoutDbContext dbContext, ResultRecorder recorder, RunProgress progress,
    ILogger<RecordResultsActivity> logger) : FanoutActivity<RecordTargetResults>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, RecordTargetResults> context)
    {
        var saga = context.Saga;
        var keys = context.Message.Results.Select(r => r.Target).Distinct().ToList();
        var rows = await dbContext.TargetResults.AsNoTracking()
            .Where(r => r.CorrelationId == saga.CorrelationId && keys.Contains(r.Target))
            .ToDictionaryAsync(r => r.Target, context.CancellationToken).ConfigureAwait(false);

        var repeated = 0;
        foreach (var result in context.Message.Results)
        {
            if (!rows.TryGetValue(result.Target, out var row))
                logger.LogWarning("Result for unknown target {Target} of {Cid} ignored", result.Target, saga.Cid);
            else if (row.Finished)
                repeated++;
            else
                recorder.Record(saga, row, TargetStates.Completed, result.Ok, result.Response, result.Exception, result.RespondedAtUtc,
                    result.Attempts ?? 1);
        }

        if (repeated > 0)
            logger.LogInformation("{Count} repeated results for {Cid} ignored", repeated, saga.Cid);
        await progress.AfterRecordingAsync(saga, context.CancellationToken).ConfigureAwait(false);
    }
}
