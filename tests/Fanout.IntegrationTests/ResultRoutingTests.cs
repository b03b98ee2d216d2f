using System.Collections.Concurrent;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Fanout.Testing.Databases;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.IntegrationTests;

/// <summary>
/// Two orchestrators on one PostgreSQL database (<c>FANOUT_TEST_POSTGRES</c>; these fail without it): service hosts'
/// result batches reach one of them (the results queue's single active consumer), and the other takes over when it
/// stops.
/// </summary>
[Collection(BrokerCollection.Name)]
[Trait("Database", "PostgreSql")]
public sealed class ResultRoutingTests(RabbitMqBroker broker) : VirtualHostTest(broker), IAsyncLifetime
{
    string _database = "";

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _database = await TestPostgres.CreateDatabaseAsync(TestPostgres.RequiredServer, "fanout_results");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }

    /// <summary>An orchestrator that notes the runs of every result batch it applies.</summary>
    async Task<(BusHost Host, ResultBatches Batches)> StartOrchestrator()
    {
        var host = await BusHost.StartAloneAsync(Url, _database,
            (bus, configuration) => bus.AddOrchestrator(configuration),
            new Dictionary<string, string?> { ["Fanout:Orchestrator:InlineResultsLimit"] = "5000" });
        var batches = new ResultBatches();
        host.Services.GetRequiredService<IBus>().ConnectConsumeMessageObserver(batches);
        return (host, batches);
    }

    Task<BusHost> StartServices() => BusHost.StartAsync(Url, null, (bus, _) =>
    {
        bus.Services.AddSingleton<FinalSignals>();
        bus.AddService<NoopTarget>().AddService<GatedTarget>().AddService<SignallingFinalCallback>("it.routing.final");
    });

    [Fact]
    public async Task With_two_orchestrators_every_result_batch_reaches_the_one_that_subscribed_first()
    {
        var (first, firstBatches) = await StartOrchestrator();
        await using var firstHost = first;
        var (second, secondBatches) = await StartOrchestrator();
        await using var secondHost = second;
        await using var services = await StartServices();
        var bus = services.Services.GetRequiredService<IBus>();
        var signals = services.Services.GetRequiredService<FinalSignals>();

        // A map whose results leave in many batches, and small runs started beside it.
        var cids = await Task.WhenAll(new[] { MapRuns.Request("it.noop", 3_000, "it.routing.final") }
            .Concat(Enumerable.Range(0, 20).Select(_ => MapRuns.Request("it.noop", 5, "it.routing.final")))
            .Select(request => MapRuns.Start(bus, request)));
        await Task.WhenAll(cids.Select(cid => signals.For(cid).Task)).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(firstBatches.Count > 1, $"the first orchestrator applied {firstBatches.Count} result batches");
        Assert.Equal(0, secondBatches.Count);
        Assert.Equal(cids.Order(), firstBatches.Cids.Order());
    }

    [Fact]
    public async Task A_run_completes_when_the_orchestrator_applying_results_stops()
    {
        var (first, firstBatches) = await StartOrchestrator();
        var firstRunning = true;
        try
        {
            var (second, secondBatches) = await StartOrchestrator();
            await using var secondHost = second;
            await using var services = await StartServices();
            var bus = services.Services.GetRequiredService<IBus>();
            var signals = services.Services.GetRequiredService<FinalSignals>();

            var early = await MapRuns.Start(bus, MapRuns.Request("it.noop", 50, "it.routing.final"));
            await signals.For(early).Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains(early, firstBatches.Cids);

            // Calls held in the service while the orchestrator applying results stops; their results come after.
            var cid = await MapRuns.Start(bus, MapRuns.Request("t.gated", 20, "it.routing.final"));
            await services.Recorder.WaitFor(all => all.Count(i => i.Cid == cid) == 21, TimeSpan.FromSeconds(30));
            firstRunning = false;
            await first.DisposeAsync();
            services.Services.GetRequiredService<Gate>().Open();

            var final = await signals.For(cid).Task.WaitAsync(TimeSpan.FromSeconds(60));
            var data = final.GetProperty("data").EnumerateObject().ToList();
            Assert.Equal(21, data.Count);
            Assert.All(data, t => Assert.True(t.Value.GetProperty("ok").GetBoolean(), t.Name));
            Assert.DoesNotContain(cid, firstBatches.Cids);
            Assert.Equal([cid], secondBatches.Cids);
        }
        finally
        {
            if (firstRunning)
                await first.DisposeAsync();
        }
    }

    sealed class ResultBatches : IConsumeMessageObserver<CallsCompletedForRuns>
    {
        readonly ConcurrentDictionary<string, byte> _cids = new();
        int _count;

        public int Count => Volatile.Read(ref _count);
        public IReadOnlyCollection<string> Cids => _cids.Keys.ToList();

        public Task PreConsume(ConsumeContext<CallsCompletedForRuns> context)
        {
            Interlocked.Increment(ref _count);
            foreach (var run in context.Message.Runs)
                _cids.TryAdd(run.Cid, 0);
            return Task.CompletedTask;
        }

        public Task PostConsume(ConsumeContext<CallsCompletedForRuns> context) => Task.CompletedTask;
        public Task ConsumeFault(ConsumeContext<CallsCompletedForRuns> context, Exception exception) =>
            Task.CompletedTask;
    }
}
