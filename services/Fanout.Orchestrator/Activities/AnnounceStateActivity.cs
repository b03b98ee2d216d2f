using Fanout.Contracts;
using Fanout.Orchestrator.Runs;
using MassTransit;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Publishes <see cref="FanoutStateChanged"/> for what this message changed: targets finished (the saga's
/// <see cref="FanoutSaga.JustFinished"/>, added by the activities that recorded them), or the run ended;
/// one event per saga message (per recorded batch of results), never one per target.
/// Emitted from the saga (<see cref="FanoutSaga.Emitted"/>): it goes out exactly when its change is committed.
/// </summary>
public class AnnounceStateActivity(TimeProvider time) : FanoutActivity
{
    /// <summary>The change to announce, or null when nothing users see changed.</summary>
    protected virtual string? Change(FanoutSaga saga, FanoutSummary run) =>
        run.State != FanoutStates.Running ? run.State
        : saga.JustFinished.Count > 0 ? FanoutStateChanged.Progressed
        : null;

    protected override Task ExecuteAsync(BehaviorContext<FanoutSaga> context)
    {
        var saga = context.Saga;
        var run = FanoutSummaries.From(saga);
        if (Change(saga, run) is not { } change)
            return Task.CompletedTask;

        saga.Publish(new FanoutStateChanged
        {
            Change = change,
            Run = run,
            Finished = saga.JustFinished.Take(FanoutSaga.MaxFinishedListed).Select(Describe).ToList(),
            ChangedAtUtc = time.GetUtcNow().UtcDateTime,
        });
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
public sealed class AnnounceStartActivity(TimeProvider time) : AnnounceStateActivity(time)
{
    protected override string? Change(FanoutSaga saga, FanoutSummary run) => FanoutStateChanged.Started;
}
