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
/// Ends a running run early (deadline or cancel): every unfinished target is recorded <c>ok=false</c> with an
/// exception saying why, its per-target callbacks run, and the state machine then requests the final callbacks.
/// </summary>
public abstract class EndRunActivity<TMessage>(FanoutDbContext dbContext, ResultRecorder recorder, ILogger logger)
    : FanoutActivity<TMessage> where TMessage : class
{
    protected abstract string Status { get; }
    protected abstract string Explain(FanoutSaga saga, TargetResult row, TMessage message);

    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, TMessage> context)
    {
        var saga = context.Saga;
        var unfinished = await dbContext.TargetResults.AsTracking()
            .Where(r => r.CorrelationId == saga.CorrelationId && !r.Finished)
            .OrderBy(r => r.Ordinal)
            .ToListAsync(context.CancellationToken).ConfigureAwait(false);
        var now = DateTime.UtcNow;
        foreach (var row in unfinished)
            recorder.Record(saga, row, Status, ok: false, response: null, Explain(saga, row, context.Message), now);
        logger.LogWarning("Run {Cid} ended as {Status}: {Count} unfinished targets recorded as failed", saga.Cid, Status, unfinished.Count);
    }
}

public sealed class TimeOutRunActivity(FanoutDbContext dbContext, ResultRecorder recorder, ILogger<TimeOutRunActivity> logger)
    : EndRunActivity<FanoutDeadlineReached>(dbContext, recorder, logger)
{
    protected override string Status => TargetStates.TimedOut;

    protected override string Explain(FanoutSaga saga, TargetResult row, FanoutDeadlineReached message) =>
        $"System.TimeoutException: target '{row.Target}' of run '{saga.Cid}' " +
        (row.InvokedAtUtc is null ? "was not invoked" : "did not finish") + $" before the deadline {saga.DeadlineUtc:O}";
}

public sealed class CancelRunActivity(FanoutDbContext dbContext, ResultRecorder recorder, ILogger<CancelRunActivity> logger)
    : EndRunActivity<CancelFanout>(dbContext, recorder, logger)
{
    protected override string Status => TargetStates.Cancelled;

    protected override string Explain(FanoutSaga saga, TargetResult row, CancelFanout message) =>
        $"System.OperationCanceledException: run '{saga.Cid}' was cancelled before target '{row.Target}' finished" +
        (string.IsNullOrWhiteSpace(message.Reason) ? "" : $": {message.Reason}");
}
