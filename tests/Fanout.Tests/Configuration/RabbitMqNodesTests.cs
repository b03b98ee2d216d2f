using Fanout.Bus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.Configuration;

/// <summary>The broker setting: one amqp URL, or a cluster's nodes as comma-separated URLs sharing user and vhost.</summary>
public class RabbitMqNodesTests
{
    [Fact]
    public void One_url_is_one_node_with_its_port_and_vhost()
    {
        var nodes = RabbitMqNodes.Parse("amqp://guest:guest@localhost/fanout");
        Assert.False(nodes.IsCluster);
        Assert.Equal(["localhost:5672"], nodes.Nodes);
        Assert.Equal("fanout", nodes.VirtualHost);
        Assert.Equal("fan/out", RabbitMqNodes.Parse("amqp://guest:guest@localhost/fan%2Fout/").VirtualHost);
        Assert.Equal("/", RabbitMqNodes.Parse("amqp://guest:guest@localhost").VirtualHost);
    }

    [Fact]
    public void A_list_gives_every_node_in_order_and_the_first_url_for_credentials()
    {
        var nodes = RabbitMqNodes.Parse(" amqp://u:p%2Cq@h1:5711/v , amqp://u:p%2Cq@h2:5712/v,amqp://u:p%2Cq@h3:5713/v/");
        Assert.True(nodes.IsCluster);
        Assert.Equal(["h1:5711", "h2:5712", "h3:5713"], nodes.Nodes);
        Assert.Equal(new Uri("amqp://u:p%2Cq@h1:5711/v"), nodes.Primary);
        Assert.Equal("v", nodes.VirtualHost);
        Assert.DoesNotContain("p%2Cq", nodes.Display);
    }

    [Theory]
    [InlineData("amqp://guest:guest@h1:5711/,", "node 2 of 2 is empty")]
    [InlineData("amqp://guest:guest@h1:5711/,h2:5712", "node 2 of 2 'h2:5712' is not an amqp:// URL")]
    [InlineData("http://h1:15672/", "'http://h1:15672/' is not an amqp:// URL")]
    [InlineData("amqp://guest:guest@h1:5711/,amqp://other:guest@h2:5712/", "node 2 'amqp://other@h2:5712/' differs from node 1")]
    [InlineData("amqp://guest:guest@h1:5711/a,amqp://guest:guest@h2:5712/b", "differs from node 1")]
    [InlineData("amqp://guest:guest@h1:5711/,amqps://guest:guest@h2:5712/", "differs from node 1")]
    [InlineData("amqp://guest:guest@h1/,amqp://guest:guest@H1:5672/", "node h1:5672 is listed twice")]
    public void Refuses_a_bad_list_naming_the_entry(string setting, string expected)
    {
        var error = Assert.Throws<FormatException>(() => RabbitMqNodes.Parse(setting));
        Assert.Contains("FANOUT_RABBITMQ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Never_shows_a_password_in_an_error()
    {
        var error = Assert.Throws<FormatException>(() => RabbitMqNodes.Parse("amqp://guest:secret@h1/,amqp://guest:other@h2/"));
        Assert.DoesNotContain("secret", error.Message);
        Assert.DoesNotContain("other", error.Message);
        error = Assert.Throws<FormatException>(() => RabbitMqNodes.Parse("amqp://guest:secret@h1/,amqp://guest:secret@[bad/"));
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void The_bus_refuses_a_bad_list_at_registration_naming_the_setting_it_came_from()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            [new KeyValuePair<string, string?>("Fanout:RabbitMq", "amqp://guest:guest@h1/,nonsense")]).Build();
        var error = Assert.Throws<FormatException>(() => new ServiceCollection().AddFanoutBus(configuration));
        Assert.StartsWith("Fanout:RabbitMq: node 2 of 2 'nonsense'", error.Message);
    }

    [Fact]
    public void The_bus_accepts_a_cluster_list()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            [new KeyValuePair<string, string?>("FANOUT_RABBITMQ", "amqp://guest:guest@h1:5711/,amqp://guest:guest@h2:5712/")]).Build();
        using var provider = new ServiceCollection().AddLogging().AddFanoutBus(configuration).BuildServiceProvider();
        Assert.Equal("amqp://guest:guest@h1:5711/,amqp://guest:guest@h2:5712/", provider.GetRequiredService<FanoutBusSettings>().RabbitMq);
    }
}
