using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;

namespace Fanout.IntegrationTests;

/// <summary>A node list whose first node does not answer: the processes connect to the next node and fan-outs run.</summary>
[Collection(BrokerCollection.Name)]
public sealed class NodeListTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    [Fact]
    public async Task Hosts_given_a_dead_node_first_connect_to_the_next_one()
    {
        // Nothing listens on port 1 of this machine: the first node of the list refuses every connection.
        var broker = new Uri(Url);
        var nodes = $"{broker.Scheme}://{broker.UserInfo}@127.0.0.1:1{broker.AbsolutePath},{Url}";
        await using var orchestrator = await BusHost.StartAsync(nodes, Directory.File("fanout.db"), (bus, configuration) =>
            bus.AddOrchestrator(configuration));
        await using var services = await BusHost.StartAsync(nodes, null, (bus, _) =>
            bus.AddService<OkTarget>().AddService<RecordingCallback>("nodes.final"));

        var cid = await services.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.ok"] = new { n = 1 } }, ["nodes.final"]);
        await services.Recorder.WaitFor(_ => services.Recorder.Of("nodes.final", cid).Count == 1, TimeSpan.FromSeconds(60));
    }
}
