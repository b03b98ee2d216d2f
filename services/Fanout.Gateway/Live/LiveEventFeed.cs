using System.Text.Json;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Fanout.Gateway.Live;

/// <summary>
/// Run and order events from the bus into the <see cref="EventLog"/>: one temporary queue per gateway (deleted when it
/// stops), bound when the first stream opens, so a gateway nobody watches receives nothing.
/// </summary>
public sealed class LiveEventFeed : IDisposable
{
    readonly IBus _bus;
    readonly JsonSerializerOptions _json;
    readonly RunProgressThrottle _throttle;
    readonly Lock _connecting = new();
    Task? _ready;

    public LiveEventFeed(IBus bus, EventLog log, GatewaySettings settings, TimeProvider time,
        IOptions<HttpJsonOptions> json)
    {
        _bus = bus;
        Log = log;
        _json = json.Value.SerializerOptions;
        _throttle = new RunProgressThrottle(time, settings.EventProgressInterval, settings.EventMaxFinishedTargets,
            change => Log.Append(ToEvent(change)));
    }

    public EventLog Log { get; }

    /// <summary>Completes once the queue is bound: events published from then on reach the log.</summary>
    public Task ConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_connecting)
        {
            // A connect that failed (the broker was away) is tried again by the next stream.
            if (_ready is { IsFaulted: true } or { IsCanceled: true })
                _ready = null;
            _ready ??= _bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("fanout-events"),
                DefaultEndpointNameFormatter.Instance, e =>
                {
                    // One at a time: a run's events reach the log in the order the broker holds them.
                    e.ConcurrentMessageLimit = 1;
                    e.Handler<FanoutStateChanges>(context =>
                    {
                        foreach (var change in context.Message.Changes)
                            _throttle.Offer(change);
                        return Task.CompletedTask;
                    });
                    e.Handler<OrderStatusChanges>(context =>
                    {
                        foreach (var change in context.Message.Changes)
                            Log.Append(ToEvent(change));
                        return Task.CompletedTask;
                    });
                }).Ready;
            return _ready.WaitAsync(cancellationToken);
        }
    }

    LiveEvent ToEvent(FanoutStateChanged change) =>
        new(LiveEvent.Run, JsonSerializer.Serialize(change, _json), Cid: change.Run.Cid, State: change.Run.State);

    LiveEvent ToEvent(OrderStatusChanged change) =>
        new(LiveEvent.Order, JsonSerializer.Serialize(change, _json), Fifo: change.Order.Fifo);

    public void Dispose() => _throttle.Dispose();
}
