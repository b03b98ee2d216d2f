using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Every target finished (or the run ended early): queue each final callback with all results, and announce completion. Runs in the
/// transaction that moves the saga to Completed, so it happens exactly once per fan-out.
/// </summary>
public sealed class CompleteFanoutActivity(FanoutDbContext dbContext, OutboxSession outbox, ILogger<CompleteFanoutActivity> logger)
    : FanoutActivity
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga> context)
    {
        var saga = context.Saga;
        saga.CompletedAtUtc = DateTime.UtcNow;

        if (saga.OnFinal.Count > 0)
        {
            // Rows changed in this transaction are tracked; the database has the rest.
            var tracked = dbContext.ChangeTracker.Entries<TargetResult>()
                .Where(e => e.Entity.CorrelationId == saga.CorrelationId)
                .ToDictionary(e => e.Entity.Target, e => e.Entity);
            var stored = await dbContext.TargetResults.AsNoTracking()
                .Where(r => r.CorrelationId == saga.CorrelationId)
                .ToListAsync(context.CancellationToken).ConfigureAwait(false);
            var data = stored
                .Select(row => tracked.GetValueOrDefault(row.Target, row))
                .OrderBy(row => row.Target, StringComparer.Ordinal)
                .ToDictionary(row => row.Target, row => ResultPayloads.From(saga, row));
            var payload = new FinalPayload
            {
                Source = saga.Source,
                RequestedAtUtc = saga.RequestedAtUtc,
                OnTarget = saga.OnTarget,
                OnFinal = saga.OnFinal,
                Data = data,
            };
            foreach (var callback in saga.OnFinal)
                outbox.Publish(new FinalCallbackRequested { Callback = callback, Cid = saga.Cid, Payload = payload }, saga.Cid);
        }

        outbox.Publish(new FanoutCompleted
        {
            Cid = saga.Cid,
            Mode = saga.Mode,
            TargetCount = saga.TargetCount,
            FailedCount = saga.FailedCount,
            CompletedAtUtc = saga.CompletedAtUtc.Value,
        }, saga.Cid);
        logger.LogInformation("Fan-out {Cid} finished: {TargetCount} targets, {FailedCount} failed",
            saga.Cid, saga.TargetCount, saga.FailedCount);
    }
}
