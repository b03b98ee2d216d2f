using Fanout.Bus.Poison;

namespace Fanout.Tests.Logging;

/// <summary>Which endpoints move poison to an _error queue with a reason: every durable queue, no temporary one.</summary>
public class PoisonEndpointTests
{
    [Theory]
    [InlineData("rabbitmq://localhost/vh/host_dotnet_bus_4kwoyyrd?temporary=true", true)]
    [InlineData("rabbitmq://localhost/vh/fanout-tail-1?durable=false&autodelete=true", true)]
    [InlineData("rabbitmq://localhost/vh/fanout.orders", false)]
    [InlineData("rabbitmq://localhost/vh/my.service", false)]
    [InlineData("loopback://localhost/fanout.orchestrator", false)]
    public void Temporary_endpoints_are_left_to_MassTransit(string address, bool temporary) =>
        Assert.Equal(temporary, PoisonMessages.IsTemporary(new Uri(address)));
}
