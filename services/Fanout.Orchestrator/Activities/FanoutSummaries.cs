using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.StateMachines;

namespace Fanout.Orchestrator.Activities;

/// <summary>A run as queries and state-change events show it.</summary>
public static class FanoutSummaries
{
    public static FanoutSummary From(FanoutSaga saga) => new()
    {
        Cid = saga.Cid,
        Mode = saga.Mode,
        State = FanoutStateMachine.PublicState(saga.CurrentState),
        Source = saga.Source,
        RequestedAtUtc = saga.RequestedAtUtc,
        DeadlineUtc = saga.DeadlineUtc,
        FinishedAtUtc = saga.CompletedAtUtc,
        TargetCount = saga.TargetCount,
        FinishedCount = saga.FinishedCount,
        FailedCount = saga.FailedCount,
        MaxConcurrency = saga.MaxConcurrency,
        OnTarget = saga.OnTarget,
        OnFinal = saga.OnFinal,
        FinalCallbacks = saga.OnFinal.Count == 0 ? "none" : saga.CompletedAtUtc is null ? "pending" : "requested",
    };
}
