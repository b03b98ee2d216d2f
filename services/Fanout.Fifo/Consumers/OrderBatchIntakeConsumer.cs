using Fanout.Contracts;
using MassTransit;

namespace Fanout.Fifo.Consumers;

/// <summary>
/// A gateway's batch of submissions: one <see cref="OrderIntake"/>, answered with one <see cref="OrdersAccepted"/>.
/// </summary>
public sealed class OrderBatchIntakeConsumer(OrderIntake intake) : IConsumer<SubmitOrders>
{
    public Task Consume(ConsumeContext<SubmitOrders> context) =>
        intake.StoreAndQueueAsync(context,
            context.Message.Orders.Select(o => new NewOrder(o.OrderId, o.Fifo, o.Parameters)).ToList(),
            documents => context.RespondAsync(new OrdersAccepted { Orders = documents }),
            context.SentTime);
}
