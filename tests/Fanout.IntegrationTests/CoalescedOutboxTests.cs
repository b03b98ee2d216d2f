using System.Collections.Concurrent;
using System.Text.Json;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Fanout.Orchestrator.Outbox;
using Fanout.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.IntegrationTests;

/// <summary>
/// On RabbitMQ: the chunks of several runs handed to the outbox together reach the service's queue as one
/// <see cref="InvokeCallsForRuns"/>, which the service host runs chunk by chunk; their state changes reach an
/// observer as one <see cref="FanoutStateChanges"/> in commit order.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class CoalescedOutboxTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    static OutboxMessage Row<T>(string cid, string? destination, T message) where T : class => new()
    {
        Id = NewId.NextGuid(), Cid = cid, Destination = destination, MessageType = typeof(T).Name,
        Body = JsonSerializer.Serialize(message), CreatedAtUtc = DateTime.UtcNow,
    };

    static OutboxMessage Invocation(string cid) => Row(cid, "t.ok", new InvokeCalls
    {
        Cid = cid, Source = "it", Service = "t.ok", Channel = Channels.FanoutCall, RequestedAtUtc = DateTime.UtcNow,
        Calls = [new CallInvocation { Key = "t.ok#0", Request = JsonSerializer.SerializeToElement(new { cid }) }],
    });

    static OutboxMessage Started(string cid) => Row<FanoutStateChanged>(cid, null, new()
    {
        Change = FanoutStateChanged.Started, Finished = [], ChangedAtUtc = DateTime.UtcNow,
        Run = new FanoutSummary
        {
            Cid = cid, Mode = "fanout", State = FanoutStates.Running, Source = "it", OnTarget = [], OnFinal = ["x"],
            FinalCallbacks = "pending",
        },
    });

    [Fact]
    public async Task Runs_handed_over_together_reach_the_service_queue_as_one_message_and_each_call_runs_once()
    {
        await using var orchestrator = await BusHost.StartAsync(Url, Directory.File("fanout.db"),
            (bus, configuration) => bus.AddOrchestrator(configuration));
        await using var services = await BusHost.StartAsync(Url, null, (bus, _) => bus.AddService<OkTarget>());
        var changes = new ConcurrentQueue<FanoutStateChanges>();
        var observer = services.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("it.state-changes",
            e => e.Handler<FanoutStateChanges>(c =>
            {
                changes.Enqueue(c.Message);
                return Task.CompletedTask;
            }));
        await observer.Ready;
        var sent = new ConcurrentQueue<object>();
        using var watch = orchestrator.Services.GetRequiredService<IBus>().ConnectSendObserver(new SentMessages(sent));
        var dispatcher = orchestrator.Services.GetRequiredService<OutboxDispatcher>();
        var cids = Enumerable.Range(0, 3).Select(i => $"coalesced-{i}").ToList();

        var handed = cids.Select(cid => dispatcher.Enqueue([Invocation(cid), Started(cid)])).ToList();
        dispatcher.Start();
        await Task.WhenAll(handed).WaitAsync(TimeSpan.FromSeconds(30));

        var batch = Assert.Single(sent.OfType<InvokeCallsForRuns>());
        Assert.Equal(cids, batch.Runs.Select(r => r.Cid));
        Assert.DoesNotContain(sent.OfType<InvokeCalls>(), m => cids.Contains(m.Cid));
        await services.Recorder.WaitFor(all => cids.All(cid => all.Any(i => i.Cid == cid)), TimeSpan.FromSeconds(30));
        await Eventually.Until(() => changes.ToList(), found => found.Count > 0,
            "the state changes to arrive", TimeSpan.FromSeconds(30));
        await services.Activity.WaitForIdle();
        Assert.All(cids, cid => Assert.Single(services.Recorder.Of("t.ok", cid)));
        Assert.Equal(cids, Assert.Single(changes).Changes.Select(c => c.Run.Cid));
    }

    sealed class SentMessages(ConcurrentQueue<object> sent) : ISendObserver
    {
        public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

        public Task PostSend<T>(SendContext<T> context) where T : class
        {
            sent.Enqueue(context.Message);
            return Task.CompletedTask;
        }

        public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
