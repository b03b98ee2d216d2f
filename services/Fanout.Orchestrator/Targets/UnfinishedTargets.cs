using System.Linq.Expressions;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Targets;

/// <summary>
/// Ends every unfinished target of a run at once (deadline, cancel, <c>fail_fast</c>, <c>quorum</c>): one set-based
/// UPDATE records them <c>ok=false</c> with the given status and exception text, whatever the run's size. Rows are
/// read back only where something needs them: every one when the run has per-target callbacks (they run for ended
/// targets as for finished ones), else the first few for the state-change event.
/// </summary>
public sealed class UnfinishedTargets(
    FanoutDbContext dbContext, ResultRecorder recorder, SagaWriteTransaction writeTransaction, TimeProvider time)
{
    public async Task<int> EndAsync(FanoutSaga saga, string status, Expression<Func<TargetResult, string?>> exception,
        CancellationToken cancellationToken)
    {
        await writeTransaction.EnsureAsync(cancellationToken).ConfigureAwait(false);
        // Results recorded earlier in this transaction must be stored first,
        // or the UPDATE would take them as unfinished.
        await recorder.FlushAsync(cancellationToken).ConfigureAwait(false);
        var unfinished = dbContext.TargetResults.Where(r => r.CorrelationId == saga.CorrelationId && !r.Finished);
        var listed = unfinished.AsNoTracking().OrderBy(r => r.Ordinal)
            .Select(r => new TargetResult
            {
                CorrelationId = r.CorrelationId, Target = r.Target, Service = r.Service, Ordinal = r.Ordinal,
                InvokedAtUtc = r.InvokedAtUtc, Attempts = r.Attempts,
            });
        var rows = await (saga.OnTarget.Count > 0 ? listed : listed.Take(FanoutSaga.MaxFinishedListed))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow().UtcDateTime;
        var ended = await unfinished.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.Finished, true)
            .SetProperty(r => r.Ok, false)
            .SetProperty(r => r.Exception, exception)
            .SetProperty(r => r.RespondedAtUtc, now), cancellationToken).ConfigureAwait(false);
        saga.FinishedCount += ended;
        saga.FailedCount += ended;

        var explain = exception.Compile();
        foreach (var row in rows)
        {
            row.Status = status;
            row.Finished = true;
            row.Exception = explain(row);
            row.RespondedAtUtc = now;
            saga.JustFinished.Add(row);
            recorder.QueueTargetCallbacks(saga, row);
        }

        return ended;
    }
}
