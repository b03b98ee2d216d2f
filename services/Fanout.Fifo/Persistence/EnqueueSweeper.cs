using Fanout.Bus;
using Fanout.Bus.Resilience;
using Fanout.Contracts;
using Fanout.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Persistence;

/// <summary>
/// Hands to their queue the standby orders a crash left stored but not enqueued. Every registry process sweeps (the
/// standby ones too): a sweep claims the orders it sends for the length of its transaction, so two processes on one
/// store do not both send an order, and a sweep that dies mid-way leaves its orders to the next.
/// </summary>
internal sealed class EnqueueSweeper(
    IServiceScopeFactory scopes, IBusControl bus, QueueAddresses addresses, BoundedPublish bounded,
    [FromKeyedServices(OrderStore.WriteGate)] DatabaseWriteGate gate, TimeProvider time, ILogger<EnqueueSweeper> logger)
    : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Enqueue sweep failed; retrying");
            }

            await Task.Delay(Interval, stoppingToken);
        }
    }

    async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        var cutoff = time.GetUtcNow().UtcDateTime - Interval;
        // Nearly always nothing is stranded: a plain read first, so the sweep takes no write lock for nothing.
        if (!await db.Orders.AnyAsync(
                o => !o.Enqueued && o.Status == OrderStates.Standby && o.SubmittedAtUtc < cutoff, cancellationToken))
            return;

        using (await gate.EnterAsync(cancellationToken))
        {
            // On SQLite the transaction is the file's write lock (BEGIN IMMEDIATE):
            // one sweep at a time across processes.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var stranded = await ClaimStranded(db, cutoff).ToListAsync(cancellationToken);
            if (stranded.Count == 0)
                return;
            // One delivery per FIFO, naming its last stranded order: the worker runs the line up to it.
            await Task.WhenAll(stranded.GroupBy(o => o.Fifo).Select(async line =>
            {
                var last = line.MaxBy(o => o.Sequence)!;
                var bell = new ProcessOrder
                {
                    OrderId = last.OrderId, Fifo = last.Fifo, FirstSequence = line.Min(o => o.Sequence),
                };
                var fifo = await bus.GetSendEndpoint(FifoQueues.Address(addresses, last.Fifo));
                await bounded.RunAsync(token => fifo.Send(bell, token), cancellationToken);
            }));
            var sequences = stranded.Select(o => o.Sequence).ToList();
            await db.Orders.Where(o => sequences.Contains(o.Sequence))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Enqueued, true), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            foreach (var order in stranded)
                logger.LogWarning("Order {OrderId} was stored but not queued; queued it now", order.OrderId);
        }
    }

    /// <summary>
    /// The oldest stranded orders, locked until the transaction ends: on PostgreSQL another sweep skips them
    /// (FOR UPDATE SKIP LOCKED) and, once committed, no longer finds them. Quoted names: PostgreSQL keeps their case.
    /// </summary>
    internal static IQueryable<OrderRecord> ClaimStranded(OrderDbContext db, DateTime cutoff)
    {
        var query = db.Database.IsNpgsql()
            ? db.Orders.FromSql($"""
                SELECT * FROM orders
                WHERE "Enqueued" = {false} AND "Status" = {OrderStates.Standby} AND "SubmittedAtUtc" < {cutoff}
                ORDER BY "Sequence" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """)
            : db.Orders.Where(o => !o.Enqueued && o.Status == OrderStates.Standby && o.SubmittedAtUtc < cutoff)
                .OrderBy(o => o.Sequence).Take(BatchSize);
        return query.AsNoTracking();
    }
}
