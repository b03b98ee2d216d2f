using Fanout.Bus;

namespace Fanout.Tests.Configuration;

/// <summary>RabbitMQ's refusal of a queue of the other type becomes one line that names the queue and what to do.</summary>
public class QueueTypeMismatchTests
{
    const string QuorumOnClassic = "The AMQP operation was interrupted: AMQP close-reason, initiated by Peer, code=406, " +
        "text='PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'fanout.invoke' in vhost 'prod': received the " +
        "value 'quorum' of type 'longstr' but current is none', classId=50, methodId=10";

    [Fact]
    public void Names_the_queue_the_vhost_and_the_ways_out()
    {
        var line = QueueTypeMismatch.Describe(new InvalidOperationException("connect failed", new Exception(QuorumOnClassic)), RabbitMqQueueType.Quorum);
        Assert.NotNull(line);
        Assert.StartsWith("queue 'fanout.invoke' in vhost 'prod' exists as a classic queue, but Fanout:RabbitMq:QueueType=quorum", line);
        Assert.Contains("drain and delete", line);
        Assert.Contains("new vhost", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Says_quorum_exists_when_classic_is_configured() =>
        Assert.Contains("exists as a quorum queue, but Fanout:RabbitMq:QueueType=classic",
            QueueTypeMismatch.Describe(new Exception("PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'a.b' in vhost '/': " +
                                                     "received none but current is the value 'quorum' of type 'longstr'"), RabbitMqQueueType.Classic));

    [Fact]
    public void Ignores_other_faults() =>
        Assert.Null(QueueTypeMismatch.Describe(new Exception("PRECONDITION_FAILED - inequivalent arg 'x-max-priority' for queue 'q' in vhost '/'"),
            RabbitMqQueueType.Quorum));
}
