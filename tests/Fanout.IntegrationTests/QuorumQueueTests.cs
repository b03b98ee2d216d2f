using System.Text.Json;
using Fanout.Bus;
using Fanout.Fifo;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary><c>Fanout:RabbitMq:QueueType=quorum</c>: every durable queue of every host is a quorum queue, and fan-outs run on them.</summary>
[Collection(BrokerCollection.Name)]
public sealed class QuorumQueueTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    readonly RabbitMqBroker _broker = broker;

    static readonly Dictionary<string, string?> Quorum = new() { [RabbitMqQueueTypeSetting.Key] = "quorum" };

    [Fact]
    public async Task A_fanout_completes_on_quorum_queues_and_temporary_queues_stay_classic()
    {
        await using var orchestrator = await BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, configuration) =>
            bus.AddOrchestrator(configuration).AddFifoRegistry(configuration),
            new Dictionary<string, string?>(Quorum) { [FifoSettings.DatabaseVariable] = Directory.File("orders.db") });
        await using var services = await BusHost.StartAsync(Url, null, (bus, _) =>
            bus.AddService<OkTarget>().AddService<RecordingCallback>("qq.final"), Quorum);

        var cid = await services.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.ok"] = new { hello = "quorum" } }, ["qq.final"]);
        await services.Recorder.WaitFor(_ => services.Recorder.Of("qq.final", cid).Count == 1, TimeSpan.FromSeconds(30));

        var queues = await _broker.QueuesAsync(VirtualHost);
        foreach (var q in queues)
            output.WriteLine($"{q.GetProperty("name")}: {q.GetProperty("type")} durable={q.GetProperty("durable")} auto_delete={q.GetProperty("auto_delete")}");
        string TypeOf(string name) => queues.Single(q => q.GetProperty("name").GetString() == name).GetProperty("type").GetString()!;
        foreach (var name in new[] { OrchestratorQueues.Saga, OrchestratorQueues.Intake, OrchestratorQueues.Completions,
                     OrchestratorQueues.Results, OrchestratorQueues.Queries, FifoQueues.Registry, FifoQueues.Queries, "t.ok", "qq.final" })
            Assert.Equal("quorum", TypeOf(name));
        // The registry and the results queue keep their single active consumer on a quorum queue.
        foreach (var name in new[] { FifoQueues.Registry, OrchestratorQueues.Results })
            Assert.True(queues.Single(q => q.GetProperty("name").GetString() == name)
                .GetProperty("arguments").GetProperty("x-single-active-consumer").GetBoolean());
        // The bus reply queue (temporary: exclusive, expires) cannot be a quorum queue and stays classic.
        var temporary = queues.Where(q => !q.GetProperty("durable").GetBoolean()).ToList();
        Assert.NotEmpty(temporary);
        Assert.All(temporary, q => Assert.Equal("classic", q.GetProperty("type").GetString()));
    }
}
