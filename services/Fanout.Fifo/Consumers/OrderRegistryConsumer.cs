using Fanout.Contracts;
using Fanout.Fifo.Persistence;
using Fanout.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Consumers;

/// <summary>
/// Stores each order as <c>standby</c>, hands it to its FIFO's queue and answers at once; discards orders still in
/// standby. Runs as a single active consumer, so the order of arrival here is the order of processing.
/// </summary>
public sealed class OrderRegistryConsumer(OrderDbContext db, DatabaseWriteGate gate, ILogger<OrderRegistryConsumer> logger)
    : IConsumer<SubmitOrder>, IConsumer<DiscardOrder>
{
    public async Task Consume(ConsumeContext<SubmitOrder> context)
    {
        var record = new OrderRecord
        {
            OrderId = context.MessageId is { } id ? $"ord-{id:N}" : $"ord-{NewId.NextGuid():N}",
            Fifo = context.Message.Fifo,
            Status = OrderStates.Standby,
            ParametersJson = context.Message.Parameters?.GetRawText() ?? "null",
            SubmittedAtUtc = DateTime.UtcNow,
        };
        var existing = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderId == record.OrderId, context.CancellationToken);
        if (existing is not null)
        {
            // A redelivered submission (a retry, or the previous registry died): finish what it started. The
            // redelivery comes before later submissions, so the order keeps its place in the line.
            if (!existing.Enqueued)
                await Enqueue(context, existing);
            await context.RespondAsync(OrderDocuments.From(existing));
            return;
        }

        using (await gate.EnterAsync(context.CancellationToken))
        {
            db.Orders.Add(record);
            await db.SaveChangesAsync(context.CancellationToken);
        }

        // The standby event goes out before the order can reach a worker, so listeners see standby before processing.
        var document = OrderDocuments.From(record);
        await context.Publish(new OrderStatusChanged { Order = document });
        await Enqueue(context, record);
        logger.LogInformation("Order {OrderId} #{Sequence} queued on FIFO {Fifo}", record.OrderId, record.Sequence, record.Fifo);
        await context.RespondAsync(document);
    }

    async Task Enqueue(ConsumeContext context, OrderRecord order)
    {
        var fifo = await context.GetSendEndpoint(FifoQueues.Address(order.Fifo));
        await fifo.Send(new ProcessOrder { OrderId = order.OrderId, Fifo = order.Fifo }, context.CancellationToken);
        using (await gate.EnterAsync(context.CancellationToken))
            await db.Orders.Where(o => o.Sequence == order.Sequence)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Enqueued, true), context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<DiscardOrder> context)
    {
        int changed;
        using (await gate.EnterAsync(context.CancellationToken))
            changed = await db.Orders
                .Where(o => o.OrderId == context.Message.OrderId && o.Status == OrderStates.Standby)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, OrderStates.Discarded)
                    .SetProperty(o => o.FinishedAtUtc, DateTime.UtcNow)
                    .SetProperty(o => o.Reason, "discarded on request before it started"), context.CancellationToken);

        var record = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderId == context.Message.OrderId, context.CancellationToken);
        if (record is null)
        {
            await context.RespondAsync(new DiscardOutcome { Outcome = DiscardOutcome.NotFound });
            return;
        }

        var document = OrderDocuments.From(record);
        if (changed == 1)
            await context.Publish(new OrderStatusChanged { Order = document });
        await context.RespondAsync(new DiscardOutcome
        {
            Outcome = changed == 1 ? DiscardOutcome.Discarded : DiscardOutcome.AlreadyStarted,
            Order = document,
        });
    }
}
