using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Targets;
using MassTransit;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Publishes <see cref="FanoutStateChanged"/> for what this message changed: targets finished, or the run ended;
/// one event per saga message (per recorded batch of results), never one per target.
/// Through the outbox, so an event goes out exactly when its change is committed.
/// </summary>
public class AnnounceStateActivity(ResultRecorder recorder, OutboxSession outbox, TimeProvider time) : FanoutActivity
{
    /// <summary>The change to announce, or null when nothing users see changed.</summary>
    protected virtual string? Change(FanoutSummary run) =>
        run.State != FanoutStates.Running ? run.State
        : recorder.Recorded.Count > 0 ? FanoutStateChanged.Progressed
        : null;

    protected override Task ExecuteAsync(BehaviorContext<FanoutSaga> context)
    {
        var run = FanoutSummaries.From(context.Saga);
        if (Change(run) is not { } change)
            return Task.CompletedTask;

        outbox.Publish(new FanoutStateChanged
        {
            Change = change,
            Run = run,
            Finished = recorder.Recorded.Take(ResultRecorder.MaxFinishedListed).Select(Describe).ToList(),
            ChangedAtUtc = time.GetUtcNow().UtcDateTime,
        }, run.Cid);
        return Task.CompletedTask;
    }

    static FinishedTarget Describe(TargetResult row) => new()
    {
        Target = row.Target,
        Status = row.Status,
        Ok = row.Ok,
        Error = row.Exception?.Split('\n', 2)[0].Trim(),
        DurationMs = row is { InvokedAtUtc: { } invoked, RespondedAtUtc: { } responded }
            ? (responded - invoked).TotalMilliseconds
            : null,
    };
}

/// <summary>Announces a run that was just stored and started.</summary>
public sealed class AnnounceStartActivity(ResultRecorder recorder, OutboxSession outbox, TimeProvider time)
    : AnnounceStateActivity(recorder, outbox, time)
{
    protected override string? Change(FanoutSummary run) => FanoutStateChanged.Started;
}
