using Fanout.Contracts;

namespace Fanout.Orchestrator.Runs;

/// <summary>A run as queries and state-change events show it.</summary>
public static class FanoutSummaries
{
    public static FanoutSummary From(FanoutSaga saga) => new()
    {
        Cid = saga.Cid,
        Mode = saga.Mode,
        State = RunStates.ToPublic(saga.CurrentState),
        Source = saga.Source,
        RequestedAtUtc = saga.RequestedAtUtc,
        DeadlineUtc = saga.DeadlineUtc,
        FinishedAtUtc = saga.CompletedAtUtc,
        TargetCount = saga.TargetCount,
        FinishedCount = saga.FinishedCount,
        FailedCount = saga.FailedCount,
        MaxConcurrency = saga.MaxConcurrency,
        FailFast = saga.FailFast,
        Quorum = saga.Quorum,
        OnTarget = saga.OnTarget,
        OnFinal = saga.OnFinal,
        FinalCallbacks = saga.OnFinal.Count == 0 ? "none" : saga.CompletedAtUtc is null ? "pending" : "requested",
        Warnings = saga.Warnings,
    };
}
