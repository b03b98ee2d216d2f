using System.Diagnostics;
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
/// retried until it succeeds). A worker killed mid-order leaves that order's delivery unacknowledged: the standby worker
/// gets it, sees "processing", and runs it again from the start.
/// </summary>
public sealed class FifoWorkerConsumer(OrderDbContext db, [FromKeyedServices(OrderStore.WriteGate)] DatabaseWriteGate gate, IServiceProvider services, FifoSettings settings,
    FinishedOrders finishedOrders, TimeProvider time, ILogger<FifoWorkerConsumer> logger) : IConsumer<ProcessOrder>
{
    static readonly string WorkerId = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Orders read from the store at a time.</summary>
    const int PageSize = 100;

    /// <summary>
    /// After its own order, a delivery goes on with the queued orders behind it for this long (their own deliveries are
    /// then skipped from memory); bounded so that a delivery is acknowledged long before RabbitMQ's consumer_timeout.
    /// </summary>
    static readonly TimeSpan RunAhead = TimeSpan.FromSeconds(2);

    public async Task Consume(ConsumeContext<ProcessOrder> context)
    {
        var cancellationToken = context.CancellationToken;
        if (finishedOrders.Contains(context.Message.OrderId))
            return;
        var target = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderId == context.Message.OrderId, cancellationToken);
        if (target is null)
        {
            logger.LogWarning("Order {OrderId} skipped: it is not in the order store", context.Message.OrderId);
            return;
        }

        if (target.Status is not (OrderStates.Standby or OrderStates.Processing))
        {
            await RepeatFinalEvent(context, target, cancellationToken);
            return;
        }

        // The registry hands a batch's orders over without waiting for each send's confirm, so their deliveries may
        // arrive out of order. The line is the stored sequence: every earlier order of this FIFO still waiting (or
        // interrupted mid-run) goes first, then the target; then, for a while, the orders queued behind it. Each order
        // processed here whose delivery is still to come keeps that delivery unacknowledged until the order finished, so
        // a crash still hands it to the standby. Orders not yet queued are left alone: their standby events may not be out.
        var events = new OrderEventPipeline(context, finishedOrders, cancellationToken);
        var held = Stopwatch.StartNew();
        var after = 0L;
        var ranAhead = false;
        while (!ranAhead)
        {
            var page = await db.Orders.AsNoTracking()
                .Where(o => o.Fifo == target.Fifo && o.Sequence > after
                    && (o.Sequence <= target.Sequence || o.Enqueued)
                    && (o.Status == OrderStates.Standby || o.Status == OrderStates.Processing))
                .OrderBy(o => o.Sequence).Take(PageSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
                break;
            foreach (var next in page)
            {
                ranAhead = next.Sequence > target.Sequence && held.Elapsed > RunAhead;
                if (ranAhead)
                    break;
                await Process(next, events, cancellationToken);
                after = next.Sequence;
            }
        }

        await events.ConfirmedAsync();
    }

    async Task Process(OrderRecord record, OrderEventPipeline events, CancellationToken cancellationToken)
    {
        var orderId = record.OrderId;
        var started = time.GetUtcNow().UtcDateTime;
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
            // Discarded on request since the page was read: its own delivery announces it (RepeatFinalEvent).
            logger.LogInformation("Order {OrderId} skipped: it is no longer waiting", orderId);
            return;
        }

        // Only this consumer changes a processing order (one at a time, single active consumer), and a discard needs
        // standby: what was read plus what was written is the stored row.
        record.Status = OrderStates.Processing;
        record.StartedAtUtc = started;
        record.Worker = WorkerId;
        record.Attempts++;
        var parameters = JsonDocument.Parse(record.ParametersJson).RootElement.Clone();
        var processingPublished = await events.ProcessingAsync(OrderDocuments.From(record, parameters));
        var order = new FifoOrder(record.OrderId, record.Fifo, record.Sequence, parameters, record.Attempts);

        var handler = services.GetRequiredKeyedService<IFifoHandler>(record.Fifo);
        var failure = await RunWithRetries(handler, order, cancellationToken);

        var (status, reason) = failure is null
            ? (OrderStates.Done, (string?)null)
            : (OrderStates.Discarded, $"handler failed {settings.Retries + 1} times; last error: {failure.GetType().Name}: {failure.Message}");
        var finished = time.GetUtcNow().UtcDateTime;
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
        events.Finished(processingPublished, OrderDocuments.From(record, parameters));
    }

    /// <summary>
    /// A delivery whose order is already done or discarded, and not known here as announced: its final event may never
    /// have been confirmed (the publish failed when the broker node went away, or the process died after storing the
    /// status), so it is published again before the delivery is acknowledged. Events are at least once; a repeat carries
    /// the same stored document.
    /// </summary>
    async Task RepeatFinalEvent(ConsumeContext context, OrderRecord order, CancellationToken cancellationToken)
    {
        await context.Publish(new OrderStatusChanged { Order = OrderDocuments.From(order) }, cancellationToken);
        finishedOrders.Add(order.OrderId);
        logger.LogInformation("Order {OrderId} already {Status}: its final event published again", order.OrderId, order.Status);
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
