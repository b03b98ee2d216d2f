namespace Fanout.IntegrationTests.Support;

/// <summary>Base for broker tests: a virtual host and a scratch directory of the test's own, removed afterwards.</summary>
public abstract class VirtualHostTest(RabbitMqBroker broker) : IAsyncLifetime
{
    readonly string _vhost = "it-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The broker under test, for its management API.</summary>
    protected RabbitMqBroker Broker { get; } = broker;

    /// <summary>Name of this test's virtual host (for the management API).</summary>
    protected string VirtualHost => _vhost;

    protected TestDirectory Directory { get; } = new();

    /// <summary>amqp URL of this test's virtual host.</summary>
    protected string Url { get; private set; } = "";

    public async Task InitializeAsync() => Url = await Broker.CreateVirtualHostAsync(_vhost);

    public async Task DisposeAsync()
    {
        await Broker.DeleteVirtualHostAsync(_vhost);
        Directory.Dispose();
    }
}
