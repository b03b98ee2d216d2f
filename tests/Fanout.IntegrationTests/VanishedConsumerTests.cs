using System.Collections.Concurrent;
using Fanout.Bus.Resilience;
using Fanout.IntegrationTests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.IntegrationTests;

/// <summary>
/// A consumer whose delivery ignores its cancellation: when its channel closes, MassTransit consumes on that endpoint
/// again only once the delivery returns, and meanwhile reports the endpoint healthy. The process must not lose the
/// consumer silently: it says which endpoint has no consumer, and exits once that lasts past StuckAfter while its other
/// endpoint consumes. The connection is closed from the broker's side, as a network cut or a restart would.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class VanishedConsumerTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    const string Stubborn = "it.stubborn";
    const string Plain = "it.plain";
    static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_consumer_held_by_a_cancelled_delivery_is_reported_and_the_stuck_process_exits()
    {
        var exits = new ConcurrentQueue<int>();
        var logs = new LogLines();
        var work = new StubbornWork();
        await using var host = await BusHost.StartAsync(Url, null, (bus, _) =>
        {
            bus.Services.AddSingleton(new ProcessExit(exits.Enqueue));
            bus.Services.AddSingleton(work);
            bus.Register(x =>
            {
                x.AddConsumer<StubbornConsumer>();
                x.AddConsumer<PlainConsumer>();
            });
            bus.ConfigureEndpoints((context, cfg, _) =>
            {
                cfg.ReceiveEndpoint(Stubborn, e => e.ConfigureConsumer<StubbornConsumer>(context));
                cfg.ReceiveEndpoint(Plain, e => e.ConfigureConsumer<PlainConsumer>(context));
            });
        }, new Dictionary<string, string?>
        {
            ["Fanout:Reconnect:Interval"] = "00:00:01",
            ["Fanout:Reconnect:StuckAfter"] = StuckAfter.ToString(),
        }, logging => logging.AddProvider(logs));
        try
        {
            await RunAsync(host, work, exits, logs);
        }
        finally
        {
            // However the test ends, the host's stop must not wait for the held delivery.
            work.Release.TrySetResult();
        }
    }

    async Task RunAsync(BusHost host, StubbornWork work, ConcurrentQueue<int> exits, LogLines logs)
    {
        await Eventually.Until(() => Broker.ConsumersAsync(VirtualHost),
            c => c.ContainsKey(Stubborn) && c.ContainsKey(Plain), "consumers on both queues");
        var send = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{Stubborn}"));
        await send.Send(new HoldOn());
        await work.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var before = await Broker.ConsumerConnectionAsync(VirtualHost, Stubborn);
        await Broker.CloseConnectionsAsync(VirtualHost);
        var cut = System.Diagnostics.Stopwatch.StartNew();

        // MassTransit alone may call the endpoint healthy and leave it without a consumer until the delivery returns.
        // The process must not: either a consumer is back on a new connection, or the process says the endpoint has
        // none and, stuck, ends itself.
        var outcome = await Eventually.Until<string?>(async () =>
                (await Broker.ConsumerConnectionAsync(VirtualHost, Stubborn)) is { } now && now != before ? "restored"
                : !exits.IsEmpty ? "exited" : null,
            o => o is not null, "the stubborn endpoint consuming again or the process exiting",
            StuckAfter + TimeSpan.FromSeconds(20), _ => string.Join("\n", logs.Lines));
        // A consumer gone for longer than several restart intervals (1 s) must have been reported, however it came
        // back. The test sees it back only when the broker's consumer list says so, which on a loaded machine lags
        // by seconds after the process made a new consumer (and then had nothing to report): hence 10 s, not 3.
        if (outcome == "exited" || cut.Elapsed > TimeSpan.FromSeconds(10))
            Assert.Contains(logs.Lines, l => l.Contains($"{Stubborn} has no consumer"));
        if (outcome == "exited")
        {
            Assert.Equal(ReceiveEndpointSupervisor.StuckExitCode, exits.Single());
            Assert.Contains(logs.Lines, l => l.Contains(Stubborn) && l.Contains("exiting with code 75"));
        }

        // Once the delivery returns, MassTransit consumes on the endpoint again.
        work.Release.TrySetResult();
        await Eventually.Until(() => Broker.ConsumersAsync(VirtualHost), c => c.ContainsKey(Stubborn),
            "the stubborn endpoint consuming again once its delivery returned", TimeSpan.FromSeconds(30));
    }

    public sealed record HoldOn;

    public sealed record Nothing;

    public sealed class StubbornWork
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Waits for the test, not for its cancellation token: a handler stuck in a call ignoring it.</summary>
    public sealed class StubbornConsumer(StubbornWork work) : IConsumer<HoldOn>
    {
        public async Task Consume(ConsumeContext<HoldOn> context)
        {
            work.Started.TrySetResult();
            await work.Release.Task;
        }
    }

    public sealed class PlainConsumer : IConsumer<Nothing>
    {
        public Task Consume(ConsumeContext<Nothing> context) => Task.CompletedTask;
    }
}
