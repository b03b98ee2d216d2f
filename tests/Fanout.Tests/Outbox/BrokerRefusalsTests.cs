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
    [InlineData(403, "ACCESS_REFUSED - exchange name 'amq.gen-x' contains reserved prefix 'amq.*'", "amq.gen-x")]
    [InlineData(404, "NOT_FOUND - no exchange 'orders' in vhost '/'", "orders")]
    public void Access_refused_and_not_found_are_permanent_even_when_wrapped(ushort code, string text, string entity)
    {
        Assert.Equal($"{code} {text}", BrokerRefusals.PermanentReason(Closed(code, text), entity));
        Assert.Equal($"{code} {text}",
            BrokerRefusals.PermanentReason(new InvalidOperationException("send failed", Closed(code, text)), entity));
    }

    /// <summary>A refusal closes the channel: a send to a good queue on it fails with the other queue's reason.</summary>
    [Fact]
    public void A_refusal_that_names_another_entity_is_not_this_sends()
    {
        var closedByOther = new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 403,
            "ACCESS_REFUSED - queue name 'amq.gen-x' contains reserved prefix 'amq.*'", 50, 10));
        Assert.Null(BrokerRefusals.PermanentReason(closedByOther, "it.good"));
        Assert.NotNull(BrokerRefusals.PermanentReason(closedByOther, "amq.gen-x"));
    }

    [Fact]
    public void Closed_channels_timeouts_and_other_failures_are_not()
    {
        Assert.Null(BrokerRefusals.PermanentReason(
            Closed(320, "CONNECTION_FORCED - broker forced connection closure"), "orders"));
        Assert.Null(BrokerRefusals.PermanentReason(
            Closed(406, "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'orders'"), "orders"));
        Assert.Null(BrokerRefusals.PermanentReason(new TimeoutException("Publish not confirmed within 10 s"), "orders"));
        Assert.Null(BrokerRefusals.PermanentReason(new ObjectDisposedException("channel"), "orders"));
        Assert.Null(BrokerRefusals.PermanentReason(null, "orders"));
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
