namespace Fanout.Bus;

/// <summary>
/// Send addresses of durable queues. MassTransit declares the queue behind a <c>queue:</c> address when it sends,
/// without queue-type argument; RabbitMQ refuses that declaration for an existing quorum queue (PRECONDITION_FAILED).
/// With quorum queues the sender therefore only declares the queue's exchange (<c>bind=false</c>) and relies on the
/// receiving endpoint, which declares and binds its queue at start.
/// </summary>
public sealed class QueueAddresses(RabbitMqQueueType type)
{
    public RabbitMqQueueType Type { get; } = type;

    /// <param name="queue">The queue name.</param>
    /// <param name="classicQuery">Address options for a classic queue declared by the sender (e.g.
    /// <c>singleactiveconsumer=true</c>).</param>
    public Uri For(string queue, string? classicQuery = null) => Type == RabbitMqQueueType.Quorum
        ? new Uri($"queue:{queue}?bind=false")
        : new Uri(classicQuery is null ? $"queue:{queue}" : $"queue:{queue}?{classicQuery}");
}
