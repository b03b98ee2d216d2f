using Fanout.Bus.Telemetry;
using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Every target finished (or the run ended early): queue each final callback with all results, and announce completion.
/// Runs in the transaction that moves the saga to Completed, so it happens exactly once per fan-out. Runs of more than
/// <c>InlineResultsLimit</c> targets get <c>data_ref</c> instead of <c>data</c>: their results are read in pages
/// (<c>GetFanoutStatus</c>), so no message has to hold them all.
/// </summary>
public sealed class CompleteFanoutActivity(
    FanoutDbContext dbContext, OrchestratorSettings settings, TimeProvider time,
    ILogger<CompleteFanoutActivity> logger)
    : FanoutActivity
{
    // Once per run: compiled, so EF Core skips parameterising the expression and its cache lookup on every call.
    static readonly Func<FanoutDbContext, Guid, IAsyncEnumerable<TargetResult>> RowsOf =
        EF.CompileAsyncQuery((FanoutDbContext db, Guid correlationId) =>
            db.TargetResults.AsNoTracking().Where(r => r.CorrelationId == correlationId));

    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga> context)
    {
        var saga = context.Saga;
        saga.CompletedAtUtc = time.GetUtcNow().UtcDateTime;

        if (saga.OnFinal.Count > 0)
        {
            var payload = new FinalPayload
            {
                Source = saga.Source,
                RequestedAtUtc = saga.RequestedAtUtc,
                OnTarget = saga.OnTarget,
                OnFinal = saga.OnFinal,
                Data = saga.TargetCount > settings.InlineResultsLimit
                    ? new Dictionary<string, TargetResultPayload>()
                    : await InlineData(saga, context.CancellationToken).ConfigureAwait(false),
                DataRef = saga.TargetCount > settings.InlineResultsLimit
                    ? new ResultsReference { Cid = saga.Cid, TargetCount = saga.TargetCount }
                    : null,
            };
            foreach (var callback in saga.OnFinal)
                saga.Publish(new FinalCallbackRequested { Callback = callback, Cid = saga.Cid, Payload = payload });
        }

        saga.Publish(new FanoutCompleted
        {
            Cid = saga.Cid,
            Mode = saga.Mode,
            TargetCount = saga.TargetCount,
            FailedCount = saga.FailedCount,
            CompletedAtUtc = saga.CompletedAtUtc.Value,
        });
        FanoutMetrics.RunsCompleted.Add(1);
        if (saga.FailedCount > 0)
            FanoutMetrics.RunsFailed.Add(1);
        FanoutMetrics.RunDuration.Record((saga.CompletedAtUtc.Value - saga.RequestedAtUtc).TotalSeconds);
        logger.LogInformation("Fan-out {Cid} finished: {TargetCount} targets, {FailedCount} failed",
            saga.Cid, saga.TargetCount, saga.FailedCount);
    }

    /// <summary>
    /// Every result keyed by key; rows recorded in this transaction were written already
    /// (<c>ResultRecorder.FlushAsync</c>).
    /// </summary>
    async Task<IReadOnlyDictionary<string, TargetResultPayload>> InlineData(FanoutSaga saga,
        CancellationToken cancellationToken)
    {
        var stored = new List<TargetResult>(saga.TargetCount);
        await foreach (var row in RowsOf(dbContext, saga.CorrelationId).WithCancellation(cancellationToken)
                           .ConfigureAwait(false))
            stored.Add(row);
        return stored
            .OrderBy(row => row.Ordinal) // request order, as in status pages and ReadResultsAsync
            .ToDictionary(row => row.Target, row => ResultPayloads.From(saga, row, saga.CompletedAtUtc!.Value));
    }
}
