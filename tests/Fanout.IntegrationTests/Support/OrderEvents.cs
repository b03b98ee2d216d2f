using System.Collections.Concurrent;
using Fanout.Bus;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.IntegrationTests.Support;

/// <summary>Every <see cref="OrderStatusChanged"/> the FIFO publishes (in its batches), in arrival order.</summary>
public sealed class OrderEvents
{
    public ConcurrentQueue<OrderDocument> Received { get; } = new();

    /// <summary>A bus host in this process whose own queue receives the order events.</summary>
    public static async Task<(BusHost Host, OrderEvents Events)> ListenAsync(string rabbitMq)
    {
        var events = new OrderEvents();
        var host = await BusHost.StartAsync(rabbitMq, null, (bus, _) =>
        {
            bus.Services.AddSingleton(events);
            bus.Register(x => x.AddConsumer<Listener>());
            bus.ConfigureEndpoints((context, cfg, _) =>
                cfg.ReceiveEndpoint("test.order-events", e =>
                {
                    // One at a time: with the default concurrency, two events close together could be recorded in
                    // the opposite order to the one they arrived in.
                    e.ConcurrentMessageLimit = 1;
                    e.ConfigureConsumer<Listener>(context);
                }));
        });
        return (host, events);
    }

    sealed class Listener(OrderEvents events) : IConsumer<OrderStatusChanges>
    {
        public Task Consume(ConsumeContext<OrderStatusChanges> context)
        {
            foreach (var change in context.Message.Changes)
                events.Received.Enqueue(change.Order);
            return Task.CompletedTask;
        }
    }
}
