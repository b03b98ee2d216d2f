using System.Linq.Expressions;
using Fanout.Contracts;
using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Targets;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Ends a running run early (deadline or cancel): every unfinished target is recorded <c>ok=false</c> with an
/// exception saying why (one set-based update, see <see cref="UnfinishedTargets"/>), its per-target callbacks run,
/// and the state machine then requests the final callbacks.
/// </summary>
public abstract class EndRunActivity<TMessage>(UnfinishedTargets unfinished, ILogger logger)
    : FanoutActivity<TMessage> where TMessage : class
{
    protected abstract string Status { get; }

    /// <summary>The exception text of an ended row, as an expression the database evaluates per row.</summary>
    protected abstract Expression<Func<TargetResult, string?>> Explain(FanoutSaga saga, TMessage message);

    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, TMessage> context)
    {
        var saga = context.Saga;
        var count = await unfinished.EndAsync(saga, Status, Explain(saga, context.Message), context.CancellationToken)
            .ConfigureAwait(false);
        logger.LogWarning("Run {Cid} ended as {Status}: {Count} unfinished targets recorded as failed",
            saga.Cid, Status, count);
    }
}

public sealed class TimeOutRunActivity(UnfinishedTargets unfinished, ILogger<TimeOutRunActivity> logger)
    : EndRunActivity<FanoutDeadlineReached>(unfinished, logger)
{
    protected override string Status => TargetStates.TimedOut;

    protected override Expression<Func<TargetResult, string?>> Explain(FanoutSaga saga, FanoutDeadlineReached message)
    {
        var run = $"' of run '{saga.Cid}' ";
        var deadline = $" before the deadline {saga.DeadlineUtc:O}";
        return row => "System.TimeoutException: target '" + row.Target + run
            + (row.InvokedAtUtc == null ? "was not invoked" : "did not finish") + deadline;
    }
}

public sealed class CancelRunActivity(UnfinishedTargets unfinished, ILogger<CancelRunActivity> logger)
    : EndRunActivity<CancelFanout>(unfinished, logger)
{
    protected override string Status => TargetStates.Cancelled;

    protected override Expression<Func<TargetResult, string?>> Explain(FanoutSaga saga, CancelFanout message)
    {
        var run = $"System.OperationCanceledException: run '{saga.Cid}' was cancelled before target '";
        var finished = "' finished" + (string.IsNullOrWhiteSpace(message.Reason) ? "" : $": {message.Reason}");
        return row => run + row.Target + finished;
    }
}
