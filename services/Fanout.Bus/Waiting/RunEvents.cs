using System.Collections.Concurrent;
using System.Threading.Channels;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Bus.Waiting;

/// <summary>
/// The orchestrator's state changes (<see cref="FanoutStateChanges"/>, each change's run), handed to whoever waits for
/// that run. One temporary
/// queue per process (deleted when it stops), connected at the first wait, so a host that never waits pays nothing
/// and a gateway with a thousand long-polls still has one queue.
/// </summary>
public sealed class RunEvents(IBus bus)
{
    readonly ConcurrentDictionary<string, List<Channel<FanoutSummary>>> _watchers = new(StringComparer.Ordinal);
    readonly Lock _connecting = new();
    Task? _ready;

    /// <summary>
    /// Follows <paramref name="cid"/> from now on; events from before this returns are not seen (ask the status).
    /// </summary>
    public async Task<RunSubscription> SubscribeAsync(string cid, CancellationToken cancellationToken)
    {
        // Only the newest state matters to a waiter: older ones are dropped when it reads slower than they come.
        var channel = Channel.CreateBounded<FanoutSummary>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        var watchers = _watchers.GetOrAdd(cid, _ => []);
        lock (watchers)
            watchers.Add(channel);
        var subscription = new RunSubscription(channel.Reader, () => Unsubscribe(cid, watchers, channel));
        try
        {
            await Connected().WaitAsync(cancellationToken).ConfigureAwait(false);
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    Task Connected()
    {
        lock (_connecting)
            return _ready ??= bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("fanout-wait"),
                DefaultEndpointNameFormatter.Instance, e =>
            {
                // One at a time, so a run's events reach its waiters in the order the broker holds them.
                e.ConcurrentMessageLimit = 1;
                e.Handler<FanoutStateChanges>(context =>
                {
                    foreach (var change in context.Message.Changes)
                        Dispatch(change.Run);
                    return Task.CompletedTask;
                });
            }).Ready;
    }

    void Dispatch(FanoutSummary run)
    {
        if (!_watchers.TryGetValue(run.Cid, out var watchers))
            return;
        lock (watchers)
            foreach (var channel in watchers)
                channel.Writer.TryWrite(run);
    }

    void Unsubscribe(string cid, List<Channel<FanoutSummary>> watchers, Channel<FanoutSummary> channel)
    {
        lock (watchers)
        {
            watchers.Remove(channel);
            if (watchers.Count == 0)
                _watchers.TryRemove(new KeyValuePair<string, List<Channel<FanoutSummary>>>(cid, watchers));
        }
    }
}

/// <summary>The states of one run as they change; dispose to stop following it.</summary>
public sealed class RunSubscription(ChannelReader<FanoutSummary> changes, Action unsubscribe) : IDisposable
{
    public ChannelReader<FanoutSummary> Changes { get; } = changes;

    public void Dispose() => unsubscribe();
}
