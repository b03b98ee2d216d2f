using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Fifo.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Fifo.Consumers;

/// <summary>Answers order reads over the bus, so the gateway never opens the order database.</summary>
public sealed class OrderQueryConsumer(OrderDbContext db, TimeProvider time)
    : IConsumer<GetOrder>, IConsumer<ListOrders>, IConsumer<ListFifoLines>
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

    /// <summary>Counts over the whole table (the (fifo, status) index), not only the latest orders.</summary>
    public async Task Consume(ConsumeContext<ListFifoLines> context)
    {
        var token = context.CancellationToken;
        var now = time.GetUtcNow().UtcDateTime;
        var counts = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStates.Standby || o.Status == OrderStates.Processing)
            .GroupBy(o => new { o.Fifo, o.Status })
            .Select(g => new { g.Key.Fifo, g.Key.Status, Count = g.LongCount() })
            .ToListAsync(token);
        var running = await db.Orders.AsNoTracking().Where(o => o.Status == OrderStates.Processing)
            .OrderBy(o => o.Sequence).ToListAsync(token);
        var leases = await db.Leases.AsNoTracking().ToListAsync(token);
        var lines = counts.Select(c => c.Fifo).Concat(leases.Select(l => l.Fifo)).Distinct()
            .Order(StringComparer.Ordinal).Select(fifo => new FifoLine
            {
                Fifo = fifo,
                Standby = counts.Where(c => c.Fifo == fifo && c.Status == OrderStates.Standby).Sum(c => c.Count),
                Processing = counts.Where(c => c.Fifo == fifo && c.Status == OrderStates.Processing).Sum(c => c.Count),
                Running = running.FirstOrDefault(o => o.Fifo == fifo) is { } order ? OrderDocuments.From(order) : null,
                Lease = leases.FirstOrDefault(l => l.Fifo == fifo) is { } lease
                    ? new FifoLease
                    {
                        Holder = lease.Holder, Token = lease.Token, ExpiresAtUtc = lease.ExpiresAtUtc,
                        Held = lease.Holder is not null && lease.ExpiresAtUtc > now,
                    }
                    : null,
            }).ToList();
        await context.RespondAsync(new FifoLineList { Lines = lines });
    }
}
