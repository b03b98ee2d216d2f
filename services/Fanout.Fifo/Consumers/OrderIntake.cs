using Fanout.Bus;
using System.Text.Json;
using Fanout.Contracts;
using Fanout.Fifo.Persistence;
using Fanout.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Consumers;

/// <summary>
/// A submission as the registry stores it: the id is fixed by the message, so a redelivery finds its order.
/// </summary>
public sealed record NewOrder(string OrderId, string Fifo, JsonElement? Parameters);

/// <summary>
/// Stores submissions as <c>standby</c> orders in one transaction, in the given order (the registry's commit order is
/// the stored sequence: the order of arrival), publishes their standby events and waits for the confirms, then answers
/// and hands the orders to their FIFO queues, one delivery per FIFO per intake. One intake at a time in a process
/// (<see cref="OrderIntakeLine"/>); the registry queue's single active consumer makes it one across processes.
/// </summary>
public sealed class OrderIntake(
    OrderDbContext db,
    [FromKeyedServices(OrderStore.WriteGate)] DatabaseWriteGate gate,
    OrderIntakeLine line,
    QueueAddresses addresses,
    TimeProvider time,
    ILogger<OrderIntake> logger)
{
    /// <param name="answer">
    /// Called with one document per submission (in their order) once the orders are stored and announced.
    /// </param>
    /// <param name="oldestSent">When the oldest of these submissions was sent, for the log.</param>
    public async Task StoreAndQueueAsync(ConsumeContext context, IReadOnlyList<NewOrder> submissions,
        Func<IReadOnlyList<OrderDocument>, Task> answer, DateTime? oldestSent)
    {
        await line.Turn.WaitAsync(context.CancellationToken);
        try
        {
            await StoreAndQueueInTurnAsync(context, submissions, answer, oldestSent);
        }
        finally
        {
            line.Turn.Release();
        }
    }

    async Task StoreAndQueueInTurnAsync(ConsumeContext context, IReadOnlyList<NewOrder> submissions,
        Func<IReadOnlyList<OrderDocument>, Task> answer, DateTime? oldestSent)
    {
        var cancellationToken = context.CancellationToken;
        var ids = submissions.Select(s => s.OrderId).Distinct().ToList();
        var existing = await db.Orders.AsNoTracking()
            .Where(o => ids.Contains(o.OrderId))
            .ToDictionaryAsync(o => o.OrderId, cancellationToken);

        // A redelivered submission (a retry, or the previous registry died) keeps its stored place in the line.
        var fresh = new List<OrderRecord>();
        var records = new Dictionary<string, OrderRecord>(existing);
        foreach (var submission in submissions)
        {
            if (records.ContainsKey(submission.OrderId))
                continue;
            var record = new OrderRecord
            {
                OrderId = submission.OrderId,
                Fifo = submission.Fifo,
                Status = OrderStates.Standby,
                ParametersJson = submission.Parameters?.GetRawText() ?? "null",
                SubmittedAtUtc = time.GetUtcNow().UtcDateTime,
            };
            fresh.Add(record);
            records.Add(record.OrderId, record);
        }

        if (fresh.Count > 0)
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                db.Orders.AddRange(fresh);
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        // Standby events go out (one message, confirmed) before any of these orders can reach a worker.
        var documents = records.Values.ToDictionary(r => r.OrderId, OrderDocuments.From);
        if (fresh.Count > 0)
            await context.Publish(OrderStatusChanges.Of(fresh.Select(r => documents[r.OrderId])), cancellationToken);

        // Stored and announced: the answers (the 202s) go out with the hand-offs. A crash before the hand-off is
        // confirmed leaves the submissions unacknowledged, so their redelivery (or the sweeper) still queues them.
        var answered = answer(submissions.Select(s => documents[s.OrderId]).ToList());

        // Hand-off: one delivery per FIFO, naming its last order here; the worker runs its line in stored sequence (the
        // order of arrival) up to that order, every earlier one first.
        var toEnqueue = fresh.Concat(existing.Values.Where(r => !r.Enqueued)).OrderBy(r => r.Sequence).ToList();
        await Task.WhenAll(toEnqueue.GroupBy(r => r.Fifo).Select(async line =>
        {
            var last = line.MaxBy(r => r.Sequence)!;
            var endpoint = await context.GetSendEndpoint(FifoQueues.Address(addresses, last.Fifo));
            await endpoint.Send(new ProcessOrder
            {
                OrderId = last.OrderId, Fifo = last.Fifo, FirstSequence = line.Min(r => r.Sequence),
            }, cancellationToken);
        }));

        if (toEnqueue.Count > 0)
        {
            var sequences = toEnqueue.Select(r => r.Sequence).ToList();
            using (await gate.EnterAsync(cancellationToken))
                await db.Orders.Where(o => sequences.Contains(o.Sequence))
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Enqueued, true), cancellationToken);
        }

        if (fresh.Count > 0)
            logger.LogInformation(
                "{Count} orders queued (#{First}–#{Last}); the oldest was sent {WaitedMs:F0} ms ago",
                fresh.Count, fresh[0].Sequence, fresh[^1].Sequence,
                oldestSent is { } sent ? (time.GetUtcNow().UtcDateTime - sent).TotalMilliseconds : 0);

        await answered;
    }
}

/// <summary>Makes the registry's intakes (batches of single submissions, and gateway batches) one at a time.</summary>
public sealed class OrderIntakeLine
{
    public SemaphoreSlim Turn { get; } = new(1, 1);
}
