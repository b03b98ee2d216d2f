using Fanout.Contracts;
using Fanout.Fifo.Persistence;
using Fanout.Storage;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Consumers;

/// <summary>
/// Submissions in batches: the batch's new orders are stored as <c>standby</c> in one transaction (in delivery order,
/// so arrival order is the registry's commit order: the stored sequence), their standby events go out together, then
/// their hand-offs to the FIFO queues, and every request is answered once its order is stored. One batch at a time, on a
/// single active consumer.
/// </summary>
public sealed class OrderIntakeConsumer(OrderDbContext db, DatabaseWriteGate gate, ILogger<OrderIntakeConsumer> logger)
    : IConsumer<Batch<SubmitOrder>>
{
    public async Task Consume(ConsumeContext<Batch<SubmitOrder>> context)
    {
        var cancellationToken = context.CancellationToken;
        // Delivery order on the registry queue is the order of arrival; the batch may have collected them out of it.
        var submissions = context.Message
            .Select((m, i) => (Context: m, Index: i, Tag: m.TryGetPayload<RabbitMqBasicConsumeContext>(out var r) ? r.DeliveryTag : 0UL))
            .OrderBy(s => s.Tag).ThenBy(s => s.Index)
            .Select(s => (s.Context, OrderId: s.Context.MessageId is { } id ? $"ord-{id:N}" : $"ord-{NewId.NextGuid():N}"))
            .ToList();

        var ids = submissions.Select(s => s.OrderId).ToList();
        var existing = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToDictionaryAsync(o => o.OrderId, cancellationToken);

        // A redelivered submission (a retry, or the previous registry died) keeps its stored place in the line.
        var fresh = new List<OrderRecord>();
        var answers = new List<(ConsumeContext<SubmitOrder> Context, OrderRecord Record)>();
        foreach (var (submission, orderId) in submissions)
        {
            if (!existing.TryGetValue(orderId, out var record))
            {
                if (fresh.Any(r => r.OrderId == orderId))
                    continue;
                record = new OrderRecord
                {
                    OrderId = orderId,
                    Fifo = submission.Message.Fifo,
                    Status = OrderStates.Standby,
                    ParametersJson = submission.Message.Parameters?.GetRawText() ?? "null",
                    SubmittedAtUtc = DateTime.UtcNow,
                };
                fresh.Add(record);
            }

            answers.Add((submission, record));
        }

        if (fresh.Count > 0)
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                db.Orders.AddRange(fresh);
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        // Standby events go out (all confirmed) before any of these orders can reach a worker.
        var freshDocuments = fresh.ToDictionary(r => r.OrderId, OrderDocuments.From);
        await Task.WhenAll(fresh.Select(r => context.Publish(new OrderStatusChanged { Order = freshDocuments[r.OrderId] }, cancellationToken)));

        // Hand-off: the sends are confirmed together, so a FIFO queue may get them out of order; the worker takes its
        // orders by stored sequence, which is the order of arrival.
        var toEnqueue = fresh.Concat(existing.Values.Where(r => !r.Enqueued)).OrderBy(r => r.Sequence).ToList();
        var endpoints = new Dictionary<string, ISendEndpoint>();
        foreach (var fifo in toEnqueue.Select(r => r.Fifo).Distinct())
            endpoints[fifo] = await context.GetSendEndpoint(FifoQueues.Address(fifo));
        await Task.WhenAll(toEnqueue.Select(order =>
            endpoints[order.Fifo].Send(new ProcessOrder { OrderId = order.OrderId, Fifo = order.Fifo }, cancellationToken)));

        if (toEnqueue.Count > 0)
        {
            var sequences = toEnqueue.Select(r => r.Sequence).ToList();
            using (await gate.EnterAsync(cancellationToken))
                await db.Orders.Where(o => sequences.Contains(o.Sequence))
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Enqueued, true), cancellationToken);
        }

        if (fresh.Count > 0)
            logger.LogInformation("{Count} orders queued (#{First}–#{Last}); the oldest was sent {WaitedMs:F0} ms ago", fresh.Count,
                fresh[0].Sequence, fresh[^1].Sequence,
                submissions.Max(s => s.Context.SentTime is { } sent ? (DateTime.UtcNow - sent).TotalMilliseconds : 0));

        await Task.WhenAll(answers.Select(a =>
            a.Context.RespondAsync(freshDocuments.TryGetValue(a.Record.OrderId, out var d) ? d : OrderDocuments.From(a.Record))));
    }
}
