using System.Diagnostics;
using System.Text.Json;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Fanout.Orchestrator.Outbox;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.IntegrationTests;

/// <summary>
/// A send the broker refuses for good (RabbitMQ's reserved <c>amq.</c> prefix: ACCESS_REFUSED) is recorded as the
/// calls' failure at once, and the rows delivered with it still go out. Validation refuses such names at every door,
/// so the test hands the outbox its rows directly.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RefusedOutboxTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    static OutboxMessage Invocation(string cid, string service) => new()
    {
        Id = NewId.NextGuid(),
        Cid = cid,
        Destination = service,
        MessageType = nameof(InvokeCalls),
        CreatedAtUtc = DateTime.UtcNow,
        Body = JsonSerializer.Serialize(new InvokeCalls
        {
            Cid = cid, Source = "it", Service = service, Channel = Channels.FanoutCall,
            Calls = [new CallInvocation { Key = service + "#0" }, new CallInvocation { Key = service + "#1" }],
        }),
    };

    [Fact]
    public async Task A_refused_invocation_is_recorded_as_failed_and_does_not_hold_up_the_others()
    {
        await using var orchestrator = await BusHost.StartAsync(Url, Directory.File("fanout.db"),
            (bus, configuration) => bus.AddOrchestrator(configuration));
        var bus = orchestrator.Services.GetRequiredService<IBus>();
        var failures = new TaskCompletionSource<CallsCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var failedCids = new System.Collections.Concurrent.ConcurrentBag<string>();
        var invoked = new TaskCompletionSource<InvokeCalls>(TaskCreationOptions.RunContinuationsAsynchronously);
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = bus.ConnectReceiveEndpoint("it.refused-probe", e =>
        {
            // One at a time, in queue order: the marker sent last is handled only after every failure before it.
            e.PrefetchCount = 1;
            e.ConcurrentMessageLimit = 1;
            e.Handler<CallsCompleted>(c =>
            {
                if (c.Message.Cid == "marker")
                    drained.TrySetResult();
                else
                    failedCids.Add(c.Message.Cid);
                if (c.Message.Cid == "refused-1")
                    failures.TrySetResult(c.Message);
                return Task.CompletedTask;
            });
        });
        var good = bus.ConnectReceiveEndpoint("it.good", e => e.Handler<InvokeCalls>(c =>
        {
            invoked.TrySetResult(c.Message);
            return Task.CompletedTask;
        }));
        await probe.Ready;
        await good.Ready;

        var rows = new[] { Invocation("refused-1", "amq.gen-x"), Invocation("fine-1", "it.good") };
        var watch = Stopwatch.StartNew();
        await orchestrator.Services.GetRequiredService<OutboxDelivery>().DeliverAsync(rows, CancellationToken.None);
        watch.Stop();

        // Without the refusal seen, the send would be retried until the 30 s batch limit and then thrown.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"delivery took {watch.Elapsed}");
        var delivered = orchestrator.Services.GetRequiredService<DeliveredOutboxMessages>();
        Assert.All(rows, r => Assert.True(delivered.Contains(r.Id)));
        Assert.Equal("fine-1", (await invoked.Task.WaitAsync(TimeSpan.FromSeconds(20))).Cid);
        var failed = await failures.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["amq.gen-x#0", "amq.gen-x#1"], failed.Results.Select(r => r.Key).Order());
        Assert.All(failed.Results, r =>
        {
            Assert.False(r.Ok);
            Assert.Contains("ACCESS_REFUSED", r.Exception);
        });
        // The refusal closed the channel under the good send too; that send is not refused, only retried. Every
        // failure was published and confirmed before DeliverAsync returned, so it is queued ahead of this marker.
        var probeQueue = await bus.GetSendEndpoint(new Uri("queue:it.refused-probe"));
        await probeQueue.Send(new CallsCompleted { Cid = "marker", Service = "it.marker", Results = [] });
        await drained.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["refused-1"], failedCids);
    }
}
