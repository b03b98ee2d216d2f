using Fanout.IntegrationTests.Support;

namespace Fanout.IntegrationTests;

/// <summary>
/// Starting with quorum queues on a vhost whose queues are classic (and the reverse) ends the process at once with one
/// line that names the queue, instead of a start that hangs on PRECONDITION_FAILED.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class QueueTypeMismatchTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    [Theory]
    [InlineData("classic", "quorum")]
    [InlineData("quorum", "classic")]
    public async Task An_orchestrator_on_queues_of_the_other_type_exits_with_one_line_naming_the_queue(string existing, string configured)
    {
        var environment = new Dictionary<string, string>
        {
            ["FANOUT_RABBITMQ"] = Url,
            ["FANOUT_DATABASE"] = Directory.File("fanout.db"),
            ["Fanout__RabbitMq__QueueType"] = existing,
        };
        using (var first = ServiceProcess.Start("Fanout.Orchestrator", environment))
            await first.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));

        environment["Fanout__RabbitMq__QueueType"] = configured;
        using var second = ServiceProcess.Start("Fanout.Orchestrator", environment);
        var exitCode = await second.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        var line = second.Stderr.Split('\n').Single(l => l.StartsWith("queue '", StringComparison.Ordinal));
        Assert.Matches($"^queue 'fanout\\.[a-z-]+' in vhost '{VirtualHost}' exists as a {existing} queue, but Fanout:RabbitMq:QueueType={configured}", line);
        Assert.Contains("drain and delete", line);
    }
}
