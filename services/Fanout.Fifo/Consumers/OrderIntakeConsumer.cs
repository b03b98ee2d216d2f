using Fanout.Contracts;
using MassTransit;
using MassTransit.RabbitMqTransport;

namespace Fanout.Fifo.Consumers;

/// <summary>
/// Single submissions (the CLI's, any bus client's), collected by MassTransit into batches: each batch is one
/// <see cref="OrderIntake"/> in delivery order, and every request is answered with its own order.
/// </summary>
public sealed class OrderIntakeConsumer(OrderIntake intake) : IConsumer<Batch<SubmitOrder>>
{
    public Task Consume(ConsumeContext<Batch<SubmitOrder>> context)
    {
        // Delivery order on the registry queue is the order of arrival; the batch may have collected them out of it.
        var submissions = context.Message
            .Select((m, i) => (
                Context: m,
                Index: i,
                Tag: m.TryGetPayload<RabbitMqBasicConsumeContext>(out var r) ? r.DeliveryTag : 0UL))
            .OrderBy(s => s.Tag).ThenBy(s => s.Index)
            .Select(s => s.Context)
            .ToList();
        var orders = submissions.Select(s => new NewOrder(
            s.MessageId is { } id ? OrderIds.For(id) : OrderIds.New(), s.Message.Fifo, s.Message.Parameters)).ToList();
        return intake.StoreAndQueueAsync(context, orders,
            documents => Task.WhenAll(submissions.Select((s, i) => s.RespondAsync(documents[i]))),
            submissions.Min(s => s.SentTime));
    }
}
