using System.Collections.Concurrent;
using MassTransit;

namespace Fanout.Bus.Resilience;

/// <summary>
/// Deliveries still running although their receive was cancelled: their channel closed or the broker cancelled their
/// consumer (<c>basic.cancel</c>). MassTransit consumes again on such an endpoint only once every one of them has
/// returned, and reports the endpoint healthy meanwhile; so a handler that ignores its cancellation token leaves the
/// endpoint without a consumer, and nothing says so. <see cref="ReceiveEndpointSupervisor"/> counts such an endpoint
/// as not consuming until a consumer is ready on it again (MassTransit may start one before the delivery returns).
/// </summary>
public sealed class CancelledDeliveries(TimeProvider time) : IReceiveObserver, IReceiveEndpointObserver
{
    readonly ConcurrentDictionary<ReceiveContext, Delivery> _running = new(ReferenceEqualityComparer.Instance);
    readonly ConcurrentDictionary<string, DateTimeOffset> _readyAt = new(StringComparer.Ordinal);

    /// <summary>
    /// Endpoint (its queue name) → since when its oldest cancelled delivery has been running, for the endpoints with
    /// one cancelled at least <paramref name="after"/> ago and no consumer ready since.
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Stalled(TimeSpan after)
    {
        var now = time.GetUtcNow();
        return _running.Values.Select(d => (d.Endpoint, Cancelled: d.CancelledAt))
            .Where(d => d.Cancelled is { } at && now - at >= after
                        && (!_readyAt.TryGetValue(d.Endpoint, out var ready) || ready < at))
            .GroupBy(d => d.Endpoint, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(d => d.Cancelled!.Value), StringComparer.Ordinal);
    }

    public Task PreReceive(ReceiveContext context)
    {
        var delivery = new Delivery(context.InputAddress.AbsolutePath.Trim('/'));
        _running[context] = delivery;
        // Runs at once if the token is already cancelled.
        delivery.Registration = context.CancellationToken.Register(() => delivery.Cancelled(time.GetUtcNow()));
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context) => Finished(context);

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Finished(context);

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class =>
        Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task Ready(ReceiveEndpointReady ready)
    {
        _readyAt[ready.InputAddress.AbsolutePath.Trim('/')] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    Task Finished(ReceiveContext context)
    {
        if (_running.TryRemove(context, out var delivery))
            delivery.Registration.Dispose();
        return Task.CompletedTask;
    }

    sealed class Delivery(string endpoint)
    {
        long _cancelledTicks;

        public string Endpoint { get; } = endpoint;
        public CancellationTokenRegistration Registration { get; set; }

        public DateTimeOffset? CancelledAt => Interlocked.Read(ref _cancelledTicks) is var ticks and > 0
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

        public void Cancelled(DateTimeOffset at) => Interlocked.CompareExchange(ref _cancelledTicks, at.UtcTicks, 0);
    }
}
