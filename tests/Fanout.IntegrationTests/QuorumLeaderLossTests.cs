using System.Diagnostics;
using Fanout.IntegrationTests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// On a private 3-node cluster: a process whose first publish to a quorum queue comes just after the node holding that
/// queue's leader was killed. RabbitMQ before 3.12.5 refuses that publish and every later one on the same channel for
/// as long as the node stays away (the channel asks the dead node for the queue's version), while a fresh channel is
/// accepted; the process must get its publishes through without waiting for the node. Not in <c>make test</c> (it
/// boots three nodes, about a minute): <c>make test-cluster</c> runs it.
/// </summary>
[Trait("Broker", "Cluster")]
public sealed class QuorumLeaderLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    readonly PrivateCluster _cluster = new("leaderloss");

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Publishes_to_a_quorum_queue_whose_leader_node_was_just_killed_get_through_while_it_is_down()
    {
        // Declared through node 1, so the queue's leader is there; reached through an exchange of ours.
        var name = $"leaderloss.{Guid.NewGuid():N}";
        await using (var connection = await new ConnectionFactory { Uri = new Uri(_cluster.Url(1)) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
            await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(name, name, "");
        }

        // A host on node 3 (first in its list) that has not published to the queue yet.
        await using var host = await BusHost.StartAsync($"{_cluster.Url(3)},{_cluster.Url(2)}", null, (_, _) => { },
            new Dictionary<string, string?> { ["Fanout:RabbitMq:QueueType"] = "quorum" },
            // MassTransit logs each refused try with its stack trace; the test reports them in one line.
            logging => logging.AddFilter("MassTransit", LogLevel.None));
        var endpoint = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"exchange:{name}?type=fanout"));

        await _cluster.KillNodeAsync(1);
        var clock = Stopwatch.StartNew();
        var refused = new List<string>();
        var confirmed = false;
        while (!confirmed && clock.Elapsed < Limit)
        {
            // Each try bounded: MassTransit retries a refused publish itself, on the same channel unless it was closed.
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await endpoint.Send(new LeaderLossProbe { Sent = DateTime.UtcNow }, attempt.Token);
                confirmed = true;
            }
            catch (Exception ex)
            {
                refused.Add($"{clock.Elapsed.TotalSeconds:0.0} s: {ex.GetType().Name}: {ex.GetBaseException().Message}");
            }
        }

        output.WriteLine($"{(confirmed ? "confirmed" : "not confirmed")} {clock.Elapsed.TotalSeconds:0.0} s after the kill, node 1 still down; " +
                         "failed tries before: " + (refused.Count == 0 ? "none" : string.Join("; ", refused)));
        Assert.True(confirmed, $"not confirmed within {Limit.TotalSeconds:0} s of the kill: {string.Join("; ", refused)}");
    }
}

public sealed record LeaderLossProbe
{
    public DateTime Sent { get; init; }
}
