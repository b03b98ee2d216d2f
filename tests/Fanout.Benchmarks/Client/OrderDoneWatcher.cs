using Fanout.Benchmarks.Measuring;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Benchmarks.Client;

/// <summary>Records when each order's <c>done</c> event arrived (the FIFO worker publishes one per status change).</summary>
public sealed class OrderDoneWatcher(Observed observed) : IConsumer<OrderStatusChanged>
{
    public Task Consume(ConsumeContext<OrderStatusChanged> context)
    {
        var order = context.Message.Order;
        if (order.Status == OrderStates.Done)
            observed.OrdersDone.Record(order.OrderId);
        return Task.CompletedTask;
    }
}
