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
/// Takes one order at a time from a FIFO queue (single active consumer, concurrency 1), in stored sequence order: standby →
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
        var cancellationToken = context.CancellationToken;
        var target = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderId == context.Message.OrderId, cancellationToken);
        if (target is not { Status: OrderStates.Standby or OrderStates.Processing })
        {
            logger.LogInformation("Order {OrderId} skipped: it is not waiting (discarded, done or unknown)", context.Message.OrderId);
            return;
        }

        // The registry hands a batch's orders over without waiting for each send's confirm, so their deliveries may
        // arrive out of order. The line is the stored sequence: every earlier order of this FIFO still waiting (or
        // interrupted mid-run) goes first, and its own delivery later finds it finished and is skipped.
        while (true)
        {
            var next = await db.Orders.AsNoTracking()
                .Where(o => o.Fifo == target.Fifo && o.Sequence <= target.Sequence
                    && (o.Status == OrderStates.Standby || o.Status == OrderStates.Processing))
                .OrderBy(o => o.Sequence).FirstOrDefaultAsync(cancellationToken);
            if (next is null)
                return;
            await Process(context, next, cancellationToken);
            if (next.Sequence == target.Sequence)
                return;
        }
    }

    async Task Process(ConsumeContext context, OrderRecord record, CancellationToken cancellationToken)
    {
        var orderId = record.OrderId;
        var started = DateTime.UtcNow;
        int claimed;
        using (await gate.EnterAsync(cancellationToken))
            claimed = await db.Orders
                .Where(o => o.OrderId == orderId && (o.Status == OrderStates.Standby || o.Status == OrderStates.Processing))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, OrderStates.Processing)
                    .SetProperty(o => o.StartedAtUtc, started)
                    .SetProperty(o => o.Worker, WorkerId)
                    .SetProperty(o => o.Attempts, o => o.Attempts + 1), cancellationToken);

        if (claimed == 0)
        {
            logger.LogInformation("Order {OrderId} skipped: it is not waiting (discarded, done or unknown)", orderId);
            return;
        }

        // Only this consumer changes a processing order (one at a time, single active consumer), and a discard needs
        // standby: what was read plus what was written is the stored row.
        record.Status = OrderStates.Processing;
        record.StartedAtUtc = started;
        record.Worker = WorkerId;
        record.Attempts++;
        // The processing event's confirm is awaited alongside the handler, and before the final event goes out.
        var processingPublished = context.Publish(new OrderStatusChanged { Order = OrderDocuments.From(record) }, cancellationToken);
        var order = new FifoOrder(record.OrderId, record.Fifo, record.Sequence,
            JsonDocument.Parse(record.ParametersJson).RootElement.Clone(), record.Attempts);

        var handler = services.GetRequiredKeyedService<IFifoHandler>(record.Fifo);
        Exception? failure;
        try
        {
            failure = await RunWithRetries(handler, order, cancellationToken);
        }
        finally
        {
            await processingPublished;
        }

        var (status, reason) = failure is null
            ? (OrderStates.Done, (string?)null)
            : (OrderStates.Discarded, $"handler failed {settings.Retries + 1} times; last error: {failure.GetType().Name}: {failure.Message}");
        var finished = DateTime.UtcNow;
        using (await gate.EnterAsync(cancellationToken))
            await db.Orders.Where(o => o.OrderId == orderId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, status)
                    .SetProperty(o => o.FinishedAtUtc, finished)
                    .SetProperty(o => o.Reason, reason), cancellationToken);

        record.Status = status;
        record.FinishedAtUtc = finished;
        record.Reason = reason;
        logger.LogInformation("Order {OrderId} #{Sequence} {Status}", orderId, record.Sequence, status);
        await context.Publish(new OrderStatusChanged { Order = OrderDocuments.From(record) }, cancellationToken);
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
