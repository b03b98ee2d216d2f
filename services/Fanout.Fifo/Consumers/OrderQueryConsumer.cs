using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Fifo.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Fifo.Consumers;

/// <summary>Answers order reads over the bus, so the gateway never opens the order database.</summary>
public sealed class OrderQueryConsumer(OrderDbContext db) : IConsumer<GetOrder>, IConsumer<ListOrders>
{
    public async Task Consume(ConsumeContext<GetOrder> context)
    {
        var record = await db.Orders.AsNoTracking()
            .SingleOrDefaultAsync(o => o.OrderId == context.Message.OrderId, context.CancellationToken);
        if (record is null)
            await context.RespondAsync(new OrderNotFound { OrderId = context.Message.OrderId });
        else
            await context.RespondAsync(OrderDocuments.From(record));
    }

    public async Task Consume(ConsumeContext<ListOrders> context)
    {
        var query = db.Orders.AsNoTracking();
        if (context.Message.Status is { Length: > 0 } status)
            query = query.Where(o => o.Status == status);
        if (context.Message.Fifo is { Length: > 0 } fifo)
            query = query.Where(o => o.Fifo == fifo);
        if (context.Message.Before is { } before)
            query = query.Where(o => o.Sequence < before);
        var records = await query.OrderByDescending(o => o.Sequence).Take(ListLimit.Clamp(context.Message.Limit))
            .ToListAsync(context.CancellationToken);
        await context.RespondAsync(new OrderList { Items = records.Select(OrderDocuments.From).ToList() });
    }
}
