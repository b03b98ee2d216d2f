using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Persistence;
using MassTransit;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Publishes <see cref="FanoutStateChanged"/> for what this message changed: the run started, targets finished, or
/// it ended. Through the outbox, so an event goes out exactly when its change is committed.
/// </summary>
public sealed class AnnounceStateActivity<TMessage>(ResultRecorder recorder, OutboxSession outbox) : FanoutActivity<TMessage>
    where TMessage : class
{
    protected override Task ExecuteAsync(BehaviorContext<FanoutSaga, TMessage> context)
    {
        var run = FanoutSummaries.From(context.Saga);
        var change = typeof(TMessage) == typeof(InvokeFanout) ? FanoutStateChanged.Started
            : run.State == FanoutStates.Running ? FanoutStateChanged.Progressed
            : run.State;
        if (change == FanoutStateChanged.Progressed && recorder.Recorded.Count == 0)
            return Task.CompletedTask;

        outbox.Publish(new FanoutStateChanged
        {
            Change = change,
            Run = run,
            Finished = recorder.Recorded.Select(Describe).ToList(),
            ChangedAtUtc = DateTime.UtcNow,
        }, run.Cid);
        return Task.CompletedTask;
    }

    static FinishedTarget Describe(TargetResult row) => new()
    {
        Target = row.Target,
        Status = row.Status,
        Ok = row.Ok,
        Error = row.Exception?.Split('\n', 2)[0].Trim(),
        DurationMs = row is { InvokedAtUtc: { } invoked, RespondedAtUtc: { } responded } ? (responded - invoked).TotalMilliseconds : null,
    };
}
