using System.Collections.Concurrent;
using System.Text.Json;
using Fanout.Bus;
using Fanout.Contracts;
using Fanout.Fifo;
using Fanout.Fifo.Leases;
using Fanout.Fifo.Persistence;
using Fanout.Fifo.Processing;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Tests.Fifo;

/// <summary>The failure policy of a FIFO worker, on the in-memory transport with a real SQLite order store.</summary>
public sealed class FifoWorkerTests : IAsyncLifetime
{
    const string Line = "line";
    readonly string _directory = Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
    IHost? _host;

    /// <summary>Fails an order as many times as its <c>failures</c> parameter says, then succeeds; records every call.</summary>
    sealed class ScriptedHandler(Calls calls) : IFifoHandler
    {
        public async Task HandleAsync(FifoOrder order, CancellationToken cancellationToken)
        {
            var started = DateTime.UtcNow;
            var previous = calls.Log.Count(c => c.OrderId == order.OrderId);
            await Task.Delay(20, cancellationToken);
            calls.Log.Enqueue((order.OrderId, started, DateTime.UtcNow));
            calls.Tokens.Enqueue(order.FencingToken);
            if (previous < order.Parameters.GetProperty("failures").GetInt32())
                throw new InvalidOperationException($"scripted failure {previous + 1}");
        }
    }

    sealed class Calls
    {
        public ConcurrentQueue<(string OrderId, DateTime Started, DateTime Finished)> Log { get; } = new();
        public ConcurrentQueue<long> Tokens { get; } = new();
    }

    /// <summary>Every order event that reached a subscriber, and how many final events the broker "refused".</summary>
    sealed class Events
    {
        public ConcurrentQueue<OrderDocument> Received { get; } = new();
        public int FinalEventsToRefuse;
        public int Refused;
    }

    sealed class Listener(Events events) : IConsumer<OrderStatusChanges>
    {
        public Task Consume(ConsumeContext<OrderStatusChanges> context)
        {
            foreach (var change in context.Message.Changes)
                events.Received.Enqueue(change.Order);
            return Task.CompletedTask;
        }
    }

    /// <summary>Fails the publish of final order events while <see cref="Events.FinalEventsToRefuse"/> lasts, as a broker's nack would.</summary>
    sealed class RefuseFinalEvents<T>(Events events) : IFilter<PublishContext<T>> where T : class
    {
        public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
        {
            if (context.Message is OrderStatusChanges changes
                && changes.Changes.Any(c => c.Order.Status is OrderStates.Done or OrderStates.Discarded)
                && Interlocked.Decrement(ref events.FinalEventsToRefuse) >= 0)
            {
                Interlocked.Increment(ref events.Refused);
                throw new InvalidOperationException("Message rejected by broker (simulated)");
            }
            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("refuseFinalEvents");
    }

    async Task<IBus> Start(bool stopTheLine, int finalEventsToRefuse = 0)
    {
        Directory.CreateDirectory(_directory);
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FanoutBusSettings.RabbitMqVariable] = "",
            [FifoSettings.DatabaseVariable] = Path.Combine(_directory, "orders.db"),
            ["Fanout:Fifo:Retries"] = "2",
            ["Fanout:Fifo:RetryDelay"] = "00:00:00.010",
            ["Fanout:Fifo:StopTheLine"] = stopTheLine.ToString(),
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<Calls>();
        builder.Services.AddSingleton(new Events { FinalEventsToRefuse = finalEventsToRefuse });
        builder.Services.AddFanoutBus(builder.Configuration, bus => bus
            .AddFifoRegistry(builder.Configuration)
            .AddFifoWorker<ScriptedHandler>(builder.Configuration, Line)
            .Register(x => x.AddConsumer<Listener>())
            .ConfigureEndpoints((context, cfg, _) =>
            {
                cfg.UsePublishFilter(typeof(RefuseFinalEvents<>), context);
                cfg.ReceiveEndpoint("test.order-events", e => e.ConfigureConsumer<Listener>(context));
            }));
        _host = builder.Build();
        await _host.StartAsync();
        return _host.Services.GetRequiredService<IBus>();
    }

    static async Task<OrderDocument> Submit(IBus bus, int failures) =>
        (await bus.CreateRequestClient<SubmitOrder>().GetResponse<OrderDocument>(new SubmitOrder
        {
            Fifo = Line,
            Parameters = JsonSerializer.SerializeToElement(new { failures }),
        })).Message;

    static Task<OrderDocument> WaitUntilFinished(IBus bus, string orderId)
    {
        var client = bus.CreateRequestClient<GetOrder>();
        return Eventually.Until(async () => (await client.GetResponse<OrderDocument>(new GetOrder { OrderId = orderId })).Message,
            order => order.Status is OrderStates.Done or OrderStates.Discarded, $"order {orderId} to finish",
            describe: order => $"{order.Status} after {order.Attempts} attempts");
    }

    [Fact]
    public async Task A_handler_that_keeps_failing_discards_the_order_with_its_reason_and_the_line_moves_on()
    {
        var bus = await Start(stopTheLine: false);
        var failing = await Submit(bus, failures: 100);
        var next = await Submit(bus, failures: 0);

        var discarded = await WaitUntilFinished(bus, failing.OrderId);
        var done = await WaitUntilFinished(bus, next.OrderId);

        Assert.Equal(OrderStates.Discarded, discarded.Status);
        Assert.Contains("handler failed 3 times", discarded.Reason);
        Assert.Contains("scripted failure 3", discarded.Reason);
        Assert.Equal(OrderStates.Done, done.Status);
        var calls = _host!.Services.GetRequiredService<Calls>().Log.ToList();
        Assert.Equal(3, calls.Count(c => c.OrderId == failing.OrderId));
        Assert.True(done.StartedAtUtc >= discarded.FinishedAtUtc);
    }

    [Fact]
    public async Task Stop_the_line_retries_the_failing_order_until_it_succeeds_and_holds_the_next()
    {
        var bus = await Start(stopTheLine: true);
        var flaky = await Submit(bus, failures: 5);
        var next = await Submit(bus, failures: 0);

        var first = await WaitUntilFinished(bus, flaky.OrderId);
        var second = await WaitUntilFinished(bus, next.OrderId);

        Assert.Equal((OrderStates.Done, OrderStates.Done), (first.Status, second.Status));
        var calls = _host!.Services.GetRequiredService<Calls>().Log.ToList();
        Assert.Equal(6, calls.Count(c => c.OrderId == flaky.OrderId));
        var lastOfFlaky = calls.Where(c => c.OrderId == flaky.OrderId).Max(c => c.Finished);
        Assert.True(calls.Single(c => c.OrderId == next.OrderId).Started >= lastOfFlaky);
    }

    [Fact]
    public async Task A_final_event_the_broker_refused_is_published_again_when_the_delivery_runs_again()
    {
        var bus = await Start(stopTheLine: false, finalEventsToRefuse: 1);
        var order = await Submit(bus, failures: 0);

        var events = _host!.Services.GetRequiredService<Events>();
        await Eventually.Until(() => events.Received.Count(e => e.OrderId == order.OrderId && e.Status == OrderStates.Done),
            done => done > 0, $"the done event of order {order.OrderId}", describe: done => $"{events.Refused} refused, {done} received");

        Assert.Equal(1, events.Refused);
        // The order ran once: the retried delivery found it done and only announced it.
        Assert.Single(_host.Services.GetRequiredService<Calls>().Log, c => c.OrderId == order.OrderId);
    }

    [Fact]
    public async Task A_delivery_of_an_order_another_process_finished_publishes_its_final_event_again()
    {
        // The first process stores the order done; whether its event left is unknown to the next process.
        var bus = await Start(stopTheLine: false);
        var order = await Submit(bus, failures: 0);
        await WaitUntilFinished(bus, order.OrderId);
        await _host!.StopAsync();
        _host.Dispose();

        // The next process (the standby, or the same worker restarted) receives the order's delivery again.
        bus = await Start(stopTheLine: false);
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{FifoQueues.For(Line)}"));
        await endpoint.Send(new ProcessOrder { OrderId = order.OrderId, Fifo = Line });

        var events = _host.Services.GetRequiredService<Events>();
        var repeated = await Eventually.Until(() => events.Received.FirstOrDefault(e => e.OrderId == order.OrderId),
            e => e is not null, $"the done event of order {order.OrderId} again");
        Assert.Equal(OrderStates.Done, repeated!.Status);
        Assert.Empty(_host.Services.GetRequiredService<Calls>().Log);
    }

    /// <summary>Deliveries of <see cref="ProcessOrder"/> that ended (acknowledged), per order.</summary>
    sealed class EndedDeliveries : IConsumeMessageObserver<ProcessOrder>
    {
        public ConcurrentQueue<string> OrderIds { get; } = new();
        public Task PreConsume(ConsumeContext<ProcessOrder> context) => Task.CompletedTask;

        public Task PostConsume(ConsumeContext<ProcessOrder> context)
        {
            OrderIds.Enqueue(context.Message.OrderId);
            return Task.CompletedTask;
        }

        public Task ConsumeFault(ConsumeContext<ProcessOrder> context, Exception exception) => Task.CompletedTask;
    }

    [Fact]
    public async Task Stop_the_line_holds_no_delivery_across_its_retries()
    {
        var bus = await Start(stopTheLine: true);
        var deliveries = new EndedDeliveries();
        bus.ConnectConsumeMessageObserver(deliveries);
        var flaky = await Submit(bus, failures: 7);
        var next = await Submit(bus, failures: 0);

        Assert.Equal(OrderStates.Done, (await WaitUntilFinished(bus, flaky.OrderId)).Status);
        Assert.Equal(OrderStates.Done, (await WaitUntilFinished(bus, next.OrderId)).Status);
        // Three attempts per delivery (Retries = 2), whichever order the delivery is for (each starts at the head):
        // eight attempts took at least three deliveries, each acknowledged before the next began.
        var calls = _host!.Services.GetRequiredService<Calls>().Log.ToList();
        Assert.Equal(8, calls.Count(c => c.OrderId == flaky.OrderId));
        // The last delivery ends (PostConsume) just after its order's status was stored: wait for it too.
        await Eventually.Until(() => deliveries.OrderIds.Count, count => count >= 3,
            "at least three deliveries ended (one per three attempts)");
        Assert.True(calls.Single(c => c.OrderId == next.OrderId).Started >= calls.Where(c => c.OrderId == flaky.OrderId)
            .Max(c => c.Finished));
    }

    /// <summary>Deliveries of <see cref="ProcessOrder"/> as they began, per order.</summary>
    sealed class StartedDeliveries : IConsumeMessageObserver<ProcessOrder>
    {
        public ConcurrentQueue<string> OrderIds { get; } = new();

        public Task PreConsume(ConsumeContext<ProcessOrder> context)
        {
            OrderIds.Enqueue(context.Message.OrderId);
            return Task.CompletedTask;
        }

        public Task PostConsume(ConsumeContext<ProcessOrder> context) => Task.CompletedTask;
        public Task ConsumeFault(ConsumeContext<ProcessOrder> context, Exception exception) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_batch_of_submissions_is_one_delivery_that_runs_its_orders_one_after_another_in_sequence()
    {
        var bus = await Start(stopTheLine: false);
        var deliveries = new StartedDeliveries();
        bus.ConnectConsumeMessageObserver(deliveries);
        var accepted = (await bus.CreateRequestClient<SubmitOrders>().GetResponse<OrdersAccepted>(new SubmitOrders
        {
            Orders = Enumerable.Range(0, 5).Select(_ => new OrderSubmission
            {
                OrderId = OrderIds.New(), Fifo = Line,
                Parameters = JsonSerializer.SerializeToElement(new { failures = 0 }),
            }).ToList(),
        })).Message.Orders;

        var finished = new List<OrderDocument>();
        foreach (var order in accepted)
            finished.Add(await WaitUntilFinished(bus, order.OrderId));

        Assert.All(finished, order => Assert.Equal(OrderStates.Done, order.Status));
        // One delivery for the intake, naming its last order; it ran the four before it first.
        Assert.Equal([accepted[^1].OrderId], deliveries.OrderIds);
        var calls = _host!.Services.GetRequiredService<Calls>().Log.ToList();
        Assert.Equal(accepted.Select(o => o.OrderId), calls.Select(c => c.OrderId));
        for (var i = 1; i < calls.Count; i++)
        {
            Assert.True(calls[i].Started >= calls[i - 1].Finished, $"order {i} started before order {i - 1} ended");
            // Each order's final status is stored (with the next one's claim) before the next one starts.
            Assert.True(finished[i].StartedAtUtc >= finished[i - 1].FinishedAtUtc, $"order {i} claimed too early");
        }

        // Events travel batched, each order's in the order they were stored.
        var events = _host.Services.GetRequiredService<Events>();
        await Eventually.Until(() => events.Received.Count(e => e.Status == OrderStates.Done), done => done == 5,
            "the five done events");
        foreach (var order in accepted)
            Assert.Equal([OrderStates.Standby, OrderStates.Processing, OrderStates.Done],
                events.Received.Where(e => e.OrderId == order.OrderId).Select(e => e.Status));
    }

    [Fact]
    public async Task A_delivery_naming_a_discarded_order_still_runs_the_earlier_orders_of_its_line()
    {
        var bus = await Start(stopTheLine: false);
        OrderRecord Stored(string status) => new()
        {
            OrderId = OrderIds.New(), Fifo = Line, Status = status, Enqueued = true,
            ParametersJson = """{"failures": 0}""", SubmittedAtUtc = DateTime.UtcNow,
            FinishedAtUtc = status == OrderStates.Discarded ? DateTime.UtcNow : null,
        };
        OrderRecord[] orders =
            [Stored(OrderStates.Standby), Stored(OrderStates.Standby), Stored(OrderStates.Discarded)];
        await using (var scope = _host!.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
            db.Orders.AddRange(orders);
            await db.SaveChangesAsync();
        }

        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{FifoQueues.For(Line)}"));
        await endpoint.Send(new ProcessOrder { OrderId = orders[2].OrderId, Fifo = Line });

        Assert.Equal(OrderStates.Done, (await WaitUntilFinished(bus, orders[0].OrderId)).Status);
        Assert.Equal(OrderStates.Done, (await WaitUntilFinished(bus, orders[1].OrderId)).Status);
        var events = _host.Services.GetRequiredService<Events>();
        await Eventually.Until(() => events.Received.Any(e => e.OrderId == orders[2].OrderId),
            announced => announced, $"the discarded order {orders[2].OrderId} announced again");
        var calls = _host.Services.GetRequiredService<Calls>().Log.ToList();
        Assert.Equal([orders[0].OrderId, orders[1].OrderId], calls.Select(c => c.OrderId));
    }

    [Fact]
    public async Task A_line_whose_lease_another_worker_holds_waits_for_it_to_expire_and_runs_with_a_larger_token()
    {
        var bus = await Start(stopTheLine: false);
        // Another worker took the line and went silent (cut off, or dead) without releasing it.
        var other = new FifoLeases(_host!.Services.GetRequiredService<IServiceScopeFactory>(),
            _host.Services.GetRequiredKeyedService<Fanout.Storage.DatabaseWriteGate>(OrderStore.WriteGate),
            TimeProvider.System, TimeSpan.FromSeconds(3), "other-worker");
        // Read before the lease is taken: its expiry is at least this plus its duration, however long taking it took.
        var taken = DateTime.UtcNow;
        var otherToken = await other.TryAcquireAsync(Line, CancellationToken.None);
        Assert.NotNull(otherToken);

        var order = await Submit(bus, failures: 0);
        Assert.Equal(OrderStates.Done, (await WaitUntilFinished(bus, order.OrderId)).Status);

        var calls = _host.Services.GetRequiredService<Calls>();
        var run = Assert.Single(calls.Log);
        Assert.True(run.Started >= taken + TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(50),
            $"started {(run.Started - taken).TotalSeconds:0.00} s after the other worker took the lease");
        Assert.True(calls.Tokens.Single() > otherToken, $"token {calls.Tokens.Single()} after {otherToken}");
        // The other worker, back, can no longer renew: its token is stale.
        Assert.False(await other.RenewAsync(Line, otherToken.Value, CancellationToken.None));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
