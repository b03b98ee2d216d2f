using Fanout.Orchestrator.Runs;

namespace Fanout.Orchestrator.Targets;

/// <summary>
/// <c>fail_fast</c> and <c>quorum</c>: whether the results just recorded end the run early, and the text its
/// unfinished targets are cancelled with.
/// </summary>
public static class CompletionPolicy
{
    /// <summary>Why the run ends now, or null when it goes on (or every target finished anyway).</summary>
    public static string? EndReason(FanoutSaga saga)
    {
        if (saga.FinishedCount >= saga.TargetCount)
            return null;
        if (saga.FailFast == true && saga.JustFinished.FirstOrDefault(r => !r.Ok) is { } failed)
            return $"cancelled: fail_fast after '{failed.Target}' failed";
        if (saga.Quorum is { } quorum && saga.FinishedCount - saga.FailedCount >= quorum)
            return $"cancelled: quorum of {quorum} reached";
        return null;
    }
}
