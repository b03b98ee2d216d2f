using Fanout.Bus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.Configuration;

/// <summary><c>Fanout:RabbitMq:QueueType</c>: classic by default, quorum on request, anything else refused at startup.</summary>
public class QueueTypeSettingTests
{
    static IConfiguration With(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Theory]
    [InlineData(null, RabbitMqQueueType.Classic)]
    [InlineData("", RabbitMqQueueType.Classic)]
    [InlineData("classic", RabbitMqQueueType.Classic)]
    [InlineData("quorum", RabbitMqQueueType.Quorum)]
    [InlineData(" Quorum ", RabbitMqQueueType.Quorum)]
    public void Reads_the_queue_type(string? value, RabbitMqQueueType expected) =>
        Assert.Equal(expected, RabbitMqQueueTypeSetting.Read(value is null ? With() : With(("Fanout:RabbitMq:QueueType", value))));

    [Theory]
    [InlineData("stream")]
    [InlineData("1")]
    public void Refuses_other_values_naming_the_setting(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => new ServiceCollection().AddFanoutBus(With(("Fanout:RabbitMq:QueueType", value))));
        Assert.Contains("Fanout:RabbitMq:QueueType", error.Message);
        Assert.Contains($"'{value}'", error.Message);
    }

    [Fact]
    public void Sits_beside_the_broker_url_without_disturbing_it()
    {
        var url = "amqp://guest:guest@localhost:5672/";
        var both = With(("Fanout:RabbitMq", url), ("Fanout:RabbitMq:QueueType", "quorum"));
        Assert.Equal(url, Settings(both).RabbitMq);
        Assert.Null(Settings(With(("Fanout:RabbitMq:QueueType", "quorum"))).RabbitMq);
        Assert.Equal(url, Settings(With(("FANOUT_RABBITMQ", url), ("Fanout:RabbitMq:QueueType", "quorum"), ("Fanout:PrefetchCount", "7")))
            is { PrefetchCount: 7 } bound ? bound.RabbitMq : "PrefetchCount not bound");
    }

    static FanoutBusSettings Settings(IConfiguration configuration) =>
        new ServiceCollection().AddFanoutBus(configuration).BuildServiceProvider().GetRequiredService<FanoutBusSettings>();
}
