using Fanout.Contracts;
using Fanout.Fifo.Persistence;
using Fanout.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Consumers;

/// <summary>
/// Discards orders still in standby. Submissions are taken in batches by <see cref="OrderIntakeConsumer"/> on the same
/// single-active-consumer queue.
/// </summary>
public sealed class OrderRegistryConsumer(
    OrderDbContext db, [FromKeyedServices(OrderStore.WriteGate)] DatabaseWriteGate gate, TimeProvider time)
    : IConsumer<DiscardOrder>
{
    public async Task Consume(ConsumeContext<DiscardOrder> context)
    {
        int changed;
        using (await gate.EnterAsync(context.CancellationToken))
            changed = await db.Orders
                .Where(o => o.OrderId == context.Message.OrderId && o.Status == OrderStates.Standby)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, OrderStates.Discarded)
                    .SetProperty(o => o.FinishedAtUtc, time.GetUtcNow().UtcDateTime)
                    .SetProperty(o => o.Reason, "discarded on request before it started"), context.CancellationToken);

        var record = await db.Orders.AsNoTracking()
            .SingleOrDefaultAsync(o => o.OrderId == context.Message.OrderId, context.CancellationToken);
        if (record is null)
        {
            await context.RespondAsync(new DiscardOutcome { Outcome = DiscardOutcome.NotFound });
            return;
        }

        var document = OrderDocuments.From(record);
        if (changed == 1)
            await context.Publish(OrderStatusChanges.Of([document]));
        await context.RespondAsync(new DiscardOutcome
        {
            Outcome = changed == 1 ? DiscardOutcome.Discarded : DiscardOutcome.AlreadyStarted,
            Order = document,
        });
    }
}
