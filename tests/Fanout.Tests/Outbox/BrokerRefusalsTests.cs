using Fanout.Orchestrator.Outbox;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Fanout.Tests.Outbox;

public class BrokerRefusalsTests
{
    static OperationInterruptedException Closed(ushort code, string text) =>
        new(new ShutdownEventArgs(ShutdownInitiator.Peer, code, text, 40, 10));

    [Theory]
    [InlineData(403, "ACCESS_REFUSED - exchange name 'amq.gen-x' contains reserved prefix 'amq.*'")]
    [InlineData(404, "NOT_FOUND - no exchange 'orders' in vhost '/'")]
    public void Access_refused_and_not_found_are_permanent_even_when_wrapped(ushort code, string text)
    {
        Assert.Equal($"{code} {text}", BrokerRefusals.PermanentReason(Closed(code, text)));
        Assert.Equal($"{code} {text}", BrokerRefusals.PermanentReason(new InvalidOperationException("send failed", Closed(code, text))));
    }

    [Fact]
    public void Closed_channels_timeouts_and_other_failures_are_not()
    {
        Assert.Null(BrokerRefusals.PermanentReason(Closed(320, "CONNECTION_FORCED - broker forced connection closure")));
        Assert.Null(BrokerRefusals.PermanentReason(Closed(406, "PRECONDITION_FAILED - inequivalent arg 'x-queue-type'")));
        Assert.Null(BrokerRefusals.PermanentReason(new TimeoutException("Publish not confirmed within 10 s")));
        Assert.Null(BrokerRefusals.PermanentReason(new ObjectDisposedException("channel")));
        Assert.Null(BrokerRefusals.PermanentReason(null));
    }

    [Theory]
    [InlineData("rabbitmq://localhost/amq.gen-x?bind=true", "amq.gen-x")]
    [InlineData("rabbitmq://localhost/it-vhost/orders", "orders")]
    [InlineData("queue:amq.gen-x", "amq.gen-x")]
    [InlineData("queue:orders?bind=false", "orders")]
    [InlineData("exchange:amq.nosuch", "amq.nosuch")]
    public void A_send_address_names_its_queue_or_exchange(string address, string entity) =>
        Assert.Equal(entity, BrokerRefusals.EntityOf(new Uri(address)));
}
