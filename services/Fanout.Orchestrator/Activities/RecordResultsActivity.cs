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
/// Records a batch of completions: each key's first result wins, repeats are logged and ignored. One statement stores
/// the batch's first results and returns the rows it wrote; the whole run is never read. Then the run's completion
/// policy may end it, or freed slots go to pending targets (<see cref="RunProgress"/>).
/// </summary>
public sealed class RecordResultsActivity(
    FanoutDbContext dbContext, TargetRowWriter writer, ResultRecorder recorder, RunProgress progress,
    ILogger<RecordResultsActivity> logger) : FanoutActivity<RecordTargetResults>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, RecordTargetResults> context)
    {
        var saga = context.Saga;
        // The first result per key in the batch; the store keeps the first per key across batches (Finished = 0).
        var outcomes = new List<TargetResult>(context.Message.Results.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in context.Message.Results)
        {
            if (!seen.Add(result.Target))
                continue;
            var row = new TargetResult { CorrelationId = saga.CorrelationId, Target = result.Target };
            recorder.SetOutcome(row, TargetStates.Completed, result.Ok, result.Response, result.Exception,
                result.RespondedAtUtc,
                result.Attempts ?? 1);
            outcomes.Add(row);
        }

        var stored = await writer.RecordFirstOutcomesAsync(saga.CorrelationId, outcomes, context.CancellationToken)
            .ConfigureAwait(false);
        foreach (var row in stored)
            recorder.RecordStored(saga, row);

        if (stored.Count < context.Message.Results.Count)
            await LogIgnoredAsync(saga, context.Message.Results, stored, context.CancellationToken)
                .ConfigureAwait(false);
        await progress.AfterRecordingAsync(saga, context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Names unknown keys; counts repeats (of an earlier batch, or twice in this one).</summary>
    async Task LogIgnoredAsync(FanoutSaga saga, IReadOnlyList<TargetCompleted> results, List<TargetResult> stored,
        CancellationToken cancellationToken)
    {
        var storedKeys = stored.Select(r => r.Target).ToHashSet(StringComparer.Ordinal);
        var ignored = results.Select(r => r.Target).Where(k => !storedKeys.Contains(k)).Distinct().ToList();
        var known = (await dbContext.TargetResults.AsNoTracking()
                .Where(r => r.CorrelationId == saga.CorrelationId && ignored.Contains(r.Target))
                .Select(r => r.Target)
                .ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var key in ignored.Where(k => !known.Contains(k)))
            logger.LogWarning("Result for unknown target {Target} of {Cid} ignored", key, saga.Cid);
        var repeated = results.Count - stored.Count - ignored.Count(k => !known.Contains(k));
        if (repeated > 0)
            logger.LogInformation("{Count} repeated results for {Cid} ignored", repeated, saga.Cid);
    }
}
