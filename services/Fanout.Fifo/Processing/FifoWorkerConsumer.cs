using System.Diagnostics;
using System.Text.Json;
using Fanout.Bus;
using Fanout.Contracts;
using Fanout.Fifo.Leases;
using Fanout.Fifo.Persistence;
using Fanout.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Processing;

/// <summary>
/// Takes one order at a time from a FIFO queue (single active consumer, concurrency 1), in stored sequence order:
/// standby → processing → done. The broker only rings the bell: a worker runs handlers only while it holds the
/// line's lease in the order store (<see cref="FifoLeases"/>), so a worker cut off from the broker, whose delivery the
/// standby got, still finishes (or loses its lease and is cancelled) before the standby starts. A handler that keeps
/// failing discards the order with its reason; with StopTheLine the order stays at the head of the stored line and each
/// delivery tries it a bounded number of times, then queues a new delivery for itself and is acknowledged, so none is
/// held open for long.
/// </summary>
public sealed class FifoWorkerConsumer(OrderDbContext db,
    [FromKeyedServices(OrderStore.WriteGate)] DatabaseWriteGate gate, IServiceProvider services, FifoSettings settings,
    FinishedOrders finishedOrders, FifoLeases leases, QueueAddresses addresses, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<FifoWorkerConsumer> logger)
    : IConsumer<ProcessOrder>
{
    static readonly string WorkerId = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Orders read from the store at a time.</summary>
    const int PageSize = 100;

    /// <summary>
    /// After its own order, a delivery goes on with the queued orders behind it for this long (their own deliveries are
    /// then skipped from memory); bounded so that a delivery is acknowledged long before RabbitMQ's consumer_timeout.
    /// </summary>
    static readonly TimeSpan RunAhead = TimeSpan.FromSeconds(2);

    enum Outcome { Finished, Skipped, LineStopped }

    public async Task Consume(ConsumeContext<ProcessOrder> context)
    {
        var cancellationToken = context.CancellationToken;
        var target = await ReadAsync(context.Message.OrderId, cancellationToken);
        if (target is null)
        {
            logger.LogWarning("Order {OrderId} skipped: it is not in the order store", context.Message.OrderId);
            return;
        }

        // One delivery rings for its order and every earlier order of the line (the registry sends one per FIFO per
        // intake, naming its last order); the lease is taken only when one of them still waits.
        if (IsWaiting(target) || await AnyWaitingUpToAsync(target, cancellationToken))
        {
            // Waits while another worker holds the line (it runs a handler, perhaps cut off from the broker that gave
            // this delivery here): released when it is done, or expired when it died. Released before the events are
            // awaited, so a standby does not wait on this worker's broker.
            var events = new OrderEventPipeline(context, finishedOrders, cancellationToken);
            bool stopped;
            await using (var lease = await leases.HoldAsync(target.Fifo, cancellationToken))
                stopped = await ProcessLineAsync(target, lease, events, cancellationToken);

            await events.ConfirmedAsync();
            if (stopped)
            {
                await RequeueAsync(context, cancellationToken);
                return;
            }
        }

        await RepeatFinalEventsAsync(context, target, cancellationToken);
    }

    static bool IsWaiting(OrderRecord order) => order.Status is OrderStates.Standby or OrderStates.Processing;

    Task<bool> AnyWaitingUpToAsync(OrderRecord target, CancellationToken cancellationToken) =>
        db.Orders.AnyAsync(o => o.Fifo == target.Fifo && o.Sequence < target.Sequence
            && (o.Status == OrderStates.Standby || o.Status == OrderStates.Processing), cancellationToken);

    /// <summary>
    /// The registry hands a batch's orders over without waiting for each send's confirm, so deliveries may arrive out
    /// of order. The line is the stored sequence: every earlier order of this FIFO still waiting (or interrupted
    /// mid-run) goes first, then the target; then, for a while, the orders queued behind it. Each order processed here
    /// whose delivery is still to come keeps that delivery unacknowledged until the order finished, so a crash still
    /// hands it to the standby. Orders not yet queued are left alone: their standby events may not be out. An order's
    /// final status is stored in the commit that claims the next one, or alone when the line pauses. True when the
    /// line stopped at a failing order (StopTheLine).
    /// </summary>
    async Task<bool> ProcessLineAsync(OrderRecord target, HeldLease lease, OrderEventPipeline events,
        CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessLineUpToAsync(target, lease, events, cancellationToken);
        }
        catch (Exception) when (_unstored is not null)
        {
            // The delivery went with the broker connection (or the store failed) after an order ran: its status is
            // still stored under the lease, so the standby does not run it again.
            await StoreFinalAsync(lease, events);
            throw;
        }
    }

    async Task<bool> ProcessLineUpToAsync(OrderRecord target, HeldLease lease, OrderEventPipeline events,
        CancellationToken cancellationToken)
    {
        var held = Stopwatch.StartNew();
        var after = 0L;
        while (true)
        {
            var page = await db.Orders.AsNoTracking()
                .Where(o => o.Fifo == target.Fifo && o.Sequence > after
                    && (o.Sequence <= target.Sequence || o.Enqueued)
                    && (o.Status == OrderStates.Standby || o.Status == OrderStates.Processing))
                .OrderBy(o => o.Sequence).Take(PageSize).ToListAsync(cancellationToken);
            foreach (var next in page)
            {
                if (next.Sequence > target.Sequence && held.Elapsed > RunAhead)
                    break;
                // The delivery is gone with the broker connection: the order it ran finished; the standby goes on.
                cancellationToken.ThrowIfCancellationRequested();
                if (await ProcessAsync(next, lease, events) == Outcome.LineStopped)
                    return true;
                after = next.Sequence;
            }

            if (page.Count == 0 || after != page[^1].Sequence)
            {
                await StoreFinalAsync(lease, events);
                return false;
            }
        }
    }

    /// <summary>
    /// An order whose handler ran, its final status not stored yet: stored with the next order's claim (one commit for
    /// both), else alone when the line pauses. A crash before that commit leaves it processing: the standby runs it
    /// again, as after a crash between its handler and its own commit.
    /// </summary>
    sealed record RanOrder(OrderRecord Record, JsonElement Parameters, string Status, string? Reason,
        DateTime FinishedAtUtc);

    /// <summary>The order of this delivery that ran last, while its final status is not stored.</summary>
    RanOrder? _unstored;

    /// <summary>
    /// One order under the lease, claimed in the commit that stores the previous one's final status. Its run
    /// and its stored statuses do not depend on the delivery (whose token is cancelled when the broker connection
    /// goes): the lease decides, and the process stopping.
    /// </summary>
    async Task<Outcome> ProcessAsync(OrderRecord record, HeldLease lease, OrderEventPipeline events)
    {
        var previous = _unstored;
        var cancellationToken = lifetime.ApplicationStopping;
        var orderId = record.OrderId;
        var started = time.GetUtcNow().UtcDateTime;
        int claimed;
        // Only under this worker's live lease: an order left processing by another worker is taken over only once
        // that worker's lease was released or expired.
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (previous is not null)
                await WriteFinalAsync(previous, lease, started, cancellationToken);
            claimed = await Fenced(db.Orders.Where(o => o.OrderId == orderId
                    && (o.Status == OrderStates.Standby || o.Status == OrderStates.Processing)), lease, started)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, OrderStates.Processing)
                    .SetProperty(o => o.StartedAtUtc, started)
                    .SetProperty(o => o.Worker, WorkerId)
                    .SetProperty(o => o.FencingToken, lease.Token)
                    .SetProperty(o => o.Attempts, o => o.Attempts + 1), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        _unstored = null;
        if (previous is not null)
            Announce(previous, lease, events);
        if (claimed == 0)
        {
            await lease.ConfirmHeldAsync(cancellationToken);
            // Discarded on request since the page was read: the delivery ringing for it announces it.
            logger.LogInformation("Order {OrderId} skipped: it is no longer waiting", orderId);
            return Outcome.Skipped;
        }

        // Only the lease holder changes a processing order, and a discard needs standby: what was read plus what was
        // written is the stored row.
        record.Status = OrderStates.Processing;
        record.StartedAtUtc = started;
        record.Worker = WorkerId;
        record.FencingToken = lease.Token;
        record.Attempts++;
        var parameters = JsonDocument.Parse(record.ParametersJson).RootElement.Clone();
        events.Add(OrderDocuments.From(record, parameters));
        var order = new FifoOrder(record.OrderId, record.Fifo, record.Sequence, parameters, record.Attempts)
        {
            FencingToken = lease.Token,
        };

        var handler = services.GetRequiredKeyedService<IFifoHandler>(record.Fifo);
        var failure = await RunUnderLeaseAsync(handler, order, lease, cancellationToken);
        if (failure is not null && settings.StopTheLine)
        {
            await RecordStopAsync(record, lease, failure, cancellationToken);
            return Outcome.LineStopped;
        }

        var (status, reason) = failure is null
            ? (OrderStates.Done, (string?)null)
            : (OrderStates.Discarded, $"handler failed {settings.Retries + 1} times; last error: {Describe(failure)}");
        _unstored = new RanOrder(record, parameters, status, reason, time.GetUtcNow().UtcDateTime);
        return Outcome.Finished;
    }

    /// <summary>The final status of the order that ran last, in a commit of its own (the line pauses here).</summary>
    async Task StoreFinalAsync(HeldLease lease, OrderEventPipeline events)
    {
        if (_unstored is not { } ran)
            return;
        var cancellationToken = lifetime.ApplicationStopping;
        using (await gate.EnterAsync(cancellationToken))
            await WriteFinalAsync(ran, lease, time.GetUtcNow().UtcDateTime, cancellationToken);
        _unstored = null;
        Announce(ran, lease, events);
    }

    async Task WriteFinalAsync(RanOrder ran, HeldLease lease, DateTime now, CancellationToken cancellationToken)
    {
        var orderId = ran.Record.OrderId;
        var stored = await Fenced(db.Orders.Where(o => o.OrderId == orderId && o.Status == OrderStates.Processing),
                lease, now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, ran.Status)
                .SetProperty(o => o.FinishedAtUtc, ran.FinishedAtUtc)
                .SetProperty(o => o.Reason, ran.Reason), cancellationToken);
        if (stored == 0)
            throw new LeaseLostException(lease, $"order {orderId} ran but its {ran.Status} could not be stored");
    }

    /// <summary>Its final event, once stored (after its processing event, in the same message or a later one).
    /// </summary>
    void Announce(RanOrder ran, HeldLease lease, OrderEventPipeline events)
    {
        var record = ran.Record;
        record.Status = ran.Status;
        record.FinishedAtUtc = ran.FinishedAtUtc;
        record.Reason = ran.Reason;
        logger.LogInformation("Order {OrderId} #{Sequence} {Status} (fencing token {Token})", record.OrderId,
            record.Sequence, ran.Status, lease.Token);
        events.Add(OrderDocuments.From(record, ran.Parameters));
    }

    /// <summary>Orders this worker may write: only while it holds the line's lease with its token.</summary>
    IQueryable<OrderRecord> Fenced(IQueryable<OrderRecord> orders, HeldLease lease, DateTime now)
    {
        var holder = leases.Holder;
        var token = lease.Token;
        return orders.Where(o => db.Leases.Any(l =>
            l.Fifo == o.Fifo && l.Holder == holder && l.Token == token && l.ExpiresAtUtc > now));
    }

    /// <summary>The handler, cancelled when the lease is lost: it must not run on while a standby may start.</summary>
    async Task<Exception?> RunUnderLeaseAsync(IFifoHandler handler, FifoOrder order, HeldLease lease,
        CancellationToken cancellationToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        try
        {
            return await RunWithRetries(handler, order, run.Token);
        }
        catch (OperationCanceledException)
            when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new LeaseLostException(lease, $"order {order.OrderId}'s handler was cancelled");
        }
    }

    /// <summary>
    /// The stopped line's head stays processing, with its last error as the reason, at the head of the stored line:
    /// whichever delivery comes next tries it first.
    /// </summary>
    async Task RecordStopAsync(OrderRecord record, HeldLease lease, Exception failure,
        CancellationToken cancellationToken)
    {
        var reason =
            $"line stopped: handler failed {settings.Retries + 1} times in a row; last error: {Describe(failure)}";
        var now = time.GetUtcNow().UtcDateTime;
        using (await gate.EnterAsync(cancellationToken))
            await Fenced(db.Orders.Where(o => o.OrderId == record.OrderId), lease, now)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Reason, reason), cancellationToken);
        logger.LogWarning("Order {OrderId} #{Sequence}: {Reason}; tried again from a new delivery", record.OrderId,
            record.Sequence, reason);
    }

    /// <summary>
    /// A new delivery of this delivery's order, sent before this one is acknowledged: the line goes on from the store
    /// (the stopped order first) while no delivery stays open across the retries.
    /// </summary>
    async Task RequeueAsync(ConsumeContext<ProcessOrder> context, CancellationToken cancellationToken)
    {
        var queue = await context.GetSendEndpoint(FifoQueues.Address(addresses, context.Message.Fifo));
        await queue.Send(context.Message with { }, cancellationToken);
    }

    static string Describe(Exception failure) => $"{failure.GetType().Name}: {failure.Message}";

    Task<OrderRecord?> ReadAsync(string orderId, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderId == orderId, cancellationToken);

    /// <summary>
    /// The final orders this delivery rings for (from its first sequence to its order) that this process did not see
    /// announced: their final events may never have been confirmed (the publish failed when the broker node went away,
    /// or a worker died after storing the status), so they are published again before the delivery is acknowledged.
    /// Also those discarded on request before they ran. Events are at least once; a repeat carries the same stored
    /// document.
    /// </summary>
    async Task RepeatFinalEventsAsync(ConsumeContext<ProcessOrder> context, OrderRecord target,
        CancellationToken cancellationToken)
    {
        var first = context.Message.FirstSequence ?? target.Sequence;
        var finals = await db.Orders.AsNoTracking()
            .Where(o => o.Fifo == target.Fifo && o.Sequence >= first && o.Sequence <= target.Sequence
                && (o.Status == OrderStates.Done || o.Status == OrderStates.Discarded))
            .OrderBy(o => o.Sequence).ToListAsync(cancellationToken);
        var unannounced = finals.Where(o => !finishedOrders.Contains(o.OrderId)).ToList();
        if (unannounced.Count == 0)
            return;
        await context.Publish(OrderStatusChanges.Of(unannounced.Select(o => OrderDocuments.From(o))),
            cancellationToken);
        foreach (var order in unannounced)
        {
            finishedOrders.Add(order.OrderId);
            logger.LogInformation("Order {OrderId} already {Status}: its final event published again",
                order.OrderId, order.Status);
        }
    }

    /// <summary>At most Retries + 1 attempts, in both modes: a stopped line goes on from a new delivery.</summary>
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
                logger.LogWarning("Order {OrderId} attempt {Attempt} failed: {Error}",
                    order.OrderId, attempt + 1, ex.Message);
                if (attempt >= settings.Retries)
                    return ex;
                await Task.Delay(settings.RetryDelay, time, cancellationToken);
            }
        }
    }
}
