using System.Text.Json;
using Fanout.Orchestrator.Persistence;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Per saga message: activities add the messages they emit here; the repository stores them as rows in the saga's
/// transaction (<see cref="WriteAsync"/>, right before the saga row), so the saga change and its messages commit
/// together, hands them to the <see cref="OutboxDispatcher"/> at the commit (<see cref="HandOverCommitted"/>, with
/// the other messages of the same group commit) and awaits their delivery after it
/// (<see cref="DeliverCommittedAsync"/>); whatever is not delivered then is delivered by <c>OutboxRelay</c>.
/// </summary>
public sealed class OutboxSession(
    OutboxRowWriter writer, OutboxDispatcher dispatcher, TimeProvider time, ILogger<OutboxSession> logger)
    : ISagaOutbox
{
    readonly List<OutboxMessage> _added = [];
    int _written;
    (Task Outcome, int Count)? _handedOver;

    public void Publish<T>(T message, string cid) where T : class => Add(message, cid, destination: null);

    public void Send<T>(T message, string cid, string queue) where T : class => Add(message, cid, queue);

    void Add<T>(T message, string cid, string? destination) where T : class =>
        _added.Add(new OutboxMessage
        {
            Id = NewId.NextGuid(),
            Cid = cid,
            Destination = destination,
            MessageType = OutboxMessageTypes.NameOf(typeof(T)),
            Body = JsonSerializer.Serialize(message),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            Message = message,
        });

    /// <summary>Stores the rows added since the last write, in the saga message's transaction.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        if (_written == _added.Count)
            return;
        await writer.InsertAsync(_added[_written..], cancellationToken).ConfigureAwait(false);
        _written = _added.Count;
    }

    /// <summary>
    /// Called at the commit of the transaction the rows were written in (synchronously, in commit order with the
    /// other members of its group): queues them for delivery without starting it.
    /// </summary>
    public void HandOverCommitted()
    {
        if (_written == 0)
            return;
        var rows = _added[.._written];
        _added.RemoveRange(0, _written);
        _written = 0;
        _handedOver = (dispatcher.Enqueue(rows), rows.Count);
    }

    /// <summary>After commit: starts the delivery of the committed rows (if none is in flight) and awaits it.</summary>
    public async Task DeliverCommittedAsync(CancellationToken cancellationToken)
    {
        HandOverCommitted();
        if (_handedOver is not { } handedOver)
            return;
        var (outcome, count) = handedOver;
        _handedOver = null;
        dispatcher.Start();
        try
        {
            await outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex,
                "Delivery of {Count} outbox messages failed after commit; the outbox relay retries them", count);
        }
    }
}
