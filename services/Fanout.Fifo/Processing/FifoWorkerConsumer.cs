using System.Text.Json;
using Fanout.Contracts;
using Fanout.Fifo.Persistence;
using Fanout.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Processing;

/// <summary>
/// Takes one order at a time from a FIFO queue (single active consumer, prefetch 1, concurrency 1): standby →
/// processing → done. A handler that keeps failing discards the order with its reason (or, with StopTheLine, is
/// retried until it succeeds). A worker killed mid-order leaves the delivery unacknowledged: the standby worker gets
/// it, sees "processing", and runs it again from the start.
/// </summary>
public sealed class FifoWorkerConsumer(OrderDbContext db, DatabaseWriteGate gate, IServiceProvider services, FifoSettings settings,
    ILogger<FifoWorkerConsumer> logger) : IConsumer<ProcessOrder>
{
    static readonly string WorkerId = $"{Environment.MachineName}:{Environment.ProcessId}";

    public async Task Consume(ConsumeContext<ProcessOrder> context)
    {
        var orderId = context.Message.OrderId;
        var started = DateTime.UtcNow;
        int claimed;
        using (await gate.EnterAsync(context.CancellationToken))
            claimed = await db.Orders
                .Where(o => o.OrderId == orderId && (o.Status == OrderStates.Standby || o.Status == OrderStates.Processing))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, OrderStates.Processing)
                    .SetProperty(o => o.StartedAtUtc, started)
                    .SetProperty(o => o.Worker, WorkerId)
                    .SetProperty(o => o.Attempts, o => o.Attempts + 1), context.CancellationToken);
        if (claimed == 0)
        {
            logger.LogInformation("Order {OrderId} skipped: it is not waiting (discarded, done or unknown)", orderId);
            return;
        }

        var record = await db.Orders.AsNoTracking().SingleAsync(o => o.OrderId == orderId, context.CancellationToken);
        await context.Publish(new OrderStatusChanged { Order = OrderDocuments.From(record) });
        var order = new FifoOrder(record.OrderId, record.Fifo, record.Sequence,
            JsonDocument.Parse(record.ParametersJson).RootElement.Clone(), record.Attempts);

        var handler = services.GetRequiredKeyedService<IFifoHandler>(record.Fifo);
        var failure = await RunWithRetries(handler, order, context.CancellationToken);
        var (status, reason) = failure is null
            ? (OrderStates.Done, (string?)null)
            : (OrderStates.Discarded, $"handler failed {settings.Retries + 1} times; last error: {failure.GetType().Name}: {failure.Message}");
        using (await gate.EnterAsync(context.CancellationToken))
            await db.Orders.Where(o => o.OrderId == orderId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, status)
                    .SetProperty(o => o.FinishedAtUtc, DateTime.UtcNow)
                    .SetProperty(o => o.Reason, reason), context.CancellationToken);

        record = await db.Orders.AsNoTracking().SingleAsync(o => o.OrderId == orderId, context.CancellationToken);
        logger.LogInformation("Order {OrderId} #{Sequence} {Status}", orderId, record.Sequence, status);
        await context.Publish(new OrderStatusChanged { Order = OrderDocuments.From(record) });
    }

    async Task<Exception?> RunWithRetries(IFifoHandler handler, FifoOrder order, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await handler.HandleAsync(order, cancellationToken);
                return null;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Order {OrderId} attempt {Attempt} failed: {Error}", order.OrderId, attempt + 1, ex.Message);
                if (attempt >= settings.Retries && !settings.StopTheLine)
                    return ex;
                await Task.Delay(settings.RetryDelay, cancellationToken);
            }
        }
    }
}
