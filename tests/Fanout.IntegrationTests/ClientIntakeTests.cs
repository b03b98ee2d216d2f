using System.Collections.Concurrent;
using Fanout.Bus.Patterns;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Fanout.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// On RabbitMQ and SQLite: runs a C# client submits at the same time reach the orchestrator in fewer
/// <see cref="InvokeFanouts"/> than runs, and every caller still gets its own answer.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ClientIntakeTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    const string Final = "it.intake.final";

    static Task<string> Invoke(BusHost client, string cid) => client.Patterns.Fanout.InvokeAsync(
        new Dictionary<string, object?> { ["t.ok"] = new { cid } }, [Final], cid: cid);

    /// <summary>The caller's outcome as one line: its CID, or the refusal's code and CID.</summary>
    static async Task<string> Outcome(Task<string> invoked)
    {
        try
        {
            return "accepted " + await invoked;
        }
        catch (FanoutRequestException refused)
        {
            return $"refused {refused.Code} {refused.Cid}";
        }
    }

    [Fact]
    public async Task Concurrent_submissions_travel_in_fewer_messages_than_runs_and_each_caller_gets_its_answer()
    {
        // One orchestrator even on PostgreSQL: the test counts the batches it consumes.
        await using var orchestrator = await BusHost.StartAloneAsync(Url, Directory.File("fanout.db"),
            (bus, configuration) => bus.AddOrchestrator(configuration));
        await using var client = await BusHost.StartAsync(Url, null,
            (bus, _) => bus.AddService<OkTarget>().AddService<RecordingCallback>(Final));
        await Invoke(client, "intake-taken");
        var sent = new Messages();
        var received = new Messages();
        using var sending = client.Services.GetRequiredService<IBus>().ConnectPublishObserver(sent);
        using var receiving = orchestrator.Services.GetRequiredService<IBus>().ConnectConsumeObserver(received);
        const int runs = 40;
        var cids = Enumerable.Range(0, runs).Select(i => i == 17 ? "intake-taken" : $"intake-{i}").ToList();

        var outcomes = await Task.WhenAll(cids.Select(cid => Outcome(Invoke(client, cid))));

        Assert.Equal(cids.Select(cid => cid == "intake-taken"
            ? $"refused {FanoutRejected.CidInUse} {cid}"
            : $"accepted {cid}"), outcomes);
        var batches = sent.Of<InvokeFanouts>();
        output.WriteLine(
            $"{runs} runs in {batches.Count} InvokeFanouts: {string.Join(", ", batches.Select(b => b.Runs.Count))}");
        Assert.InRange(batches.Count, 1, runs - 1);
        // Each run in exactly one batch, in the order submitted within it (batches may be published out of order).
        Assert.Equal(cids.Order(), batches.SelectMany(b => b.Runs).Select(r => r.Cid).Order());
        Assert.All(batches, b => Assert.Equal(b.Runs.Select(r => cids.IndexOf(r.Cid!)).Order(),
            b.Runs.Select(r => cids.IndexOf(r.Cid!))));
        Assert.Empty(sent.Of<InvokeFanout>());
        await Eventually.Until(() => received.Of<InvokeFanouts>().Count, n => n == batches.Count,
            $"{batches.Count} batches consumed by the orchestrator");
        // Every accepted run ran, once: its final callback came, and the refused resend started nothing.
        await client.Recorder.WaitFor(all => all.Count(i => i.Service == Final) == runs, TimeSpan.FromSeconds(60));
        Assert.Equal(cids.Where(cid => cid != "intake-taken").Append("intake-taken").Order(),
            client.Recorder.Of(Final).Select(i => i.Cid).Order());
    }

    /// <summary>Messages of this bus as they were published or consumed.</summary>
    sealed class Messages : IPublishObserver, IConsumeObserver
    {
        readonly ConcurrentQueue<object> _seen = new();

        public IReadOnlyList<T> Of<T>() => _seen.OfType<T>().ToList();

        public Task PostPublish<T>(PublishContext<T> context) where T : class => Seen(context.Message);
        public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Seen(context.Message);
        public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class =>
            Task.CompletedTask;
        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;
        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class =>
            Task.CompletedTask;

        Task Seen(object message)
        {
            _seen.Enqueue(message);
            return Task.CompletedTask;
        }
    }
}
