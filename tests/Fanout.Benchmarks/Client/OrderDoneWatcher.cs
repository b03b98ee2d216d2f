using Fanout.Benchmarks.Measuring;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Benchmarks.Client;

/// <summary>
/// Records when each order's <c>done</c> event arrived (the FIFO worker publishes the status changes in batches).
/// </summary>
public sealed class OrderDoneWatcher(Observed observed) : IConsumer<OrderStatusChanges>
{
    public Task Consume(ConsumeContext<OrderStatusChanges> context)
    {
        foreach (var change in context.Message.Changes.Where(c => c.Order.Status == OrderStates.Done))
            observed.OrdersDone.Record(change.Order.OrderId);
        return Task.CompletedTask;
    }
}
