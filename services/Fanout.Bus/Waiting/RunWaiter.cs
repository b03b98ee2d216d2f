using Fanout.Contracts;

namespace Fanout.Bus.Waiting;

/// <summary>
/// Waits for a run to end: follows its state changes (<see cref="RunEvents"/>), after asking its status once (a run
/// that ended before the subscription is seen at once), and asks again every <see cref="PollEvery"/> so a lost event
/// cannot leave a caller waiting.
/// </summary>
public sealed class RunWaiter(RunEvents events, RunStatusReader status, TimeProvider time)
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The run's state once it ended, or when <paramref name="timeout"/> elapsed (then still <c>running</c>); null when
    /// there is no such run. <paramref name="progress"/> hears each new state. <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits until the run ends (its deadline ends it at the latest).
    /// </summary>
    public async Task<FanoutSummary?> WaitAsync(string cid, TimeSpan timeout, IProgress<FanoutSummary>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var subscription = await events.SubscribeAsync(cid, cancellationToken).ConfigureAwait(false);
        var run = await status.SummaryAsync(cid, cancellationToken).ConfigureAwait(false);
        if (run is null)
            return null;

        var until = timeout == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : time.GetUtcNow() + timeout;
        while (true)
        {
            progress?.Report(run);
            var left = until - time.GetUtcNow();
            if (run.State != FanoutStates.Running || left <= TimeSpan.Zero)
                return run;

            using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            poll.CancelAfter(left < PollEvery ? left : PollEvery);
            try
            {
                run = await subscription.Changes.ReadAsync(poll.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (time.GetUtcNow() < until)
                    run = await status.SummaryAsync(cid, cancellationToken).ConfigureAwait(false) ?? run;
            }
        }
    }
}
