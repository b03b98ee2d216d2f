using Fanout.Contracts;
using Fanout.Orchestrator.Runs;

namespace Fanout.Orchestrator.Targets;

/// <summary>
/// What follows newly recorded results: store them, end the run early when its completion policy says so
/// (unfinished targets cancelled, pending ones never invoked), else give freed slots to pending targets.
/// </summary>
public sealed class RunProgress(ResultRecorder recorder, UnfinishedTargets unfinished, TargetInvoker invoker)
{
    public async Task AfterRecordingAsync(FanoutSaga saga, CancellationToken cancellationToken)
    {
        await recorder.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (CompletionPolicy.EndReason(saga) is { } reason)
            await unfinished.EndAsync(saga, TargetStates.Cancelled, _ => reason, cancellationToken)
                .ConfigureAwait(false);
        else
            await invoker.InvokePendingAsync(saga, cancellationToken).ConfigureAwait(false);
    }
}
