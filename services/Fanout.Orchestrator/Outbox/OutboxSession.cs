using System.Text.Json;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Per saga message: the repository stores the messages the saga's steps emitted (<see cref="FanoutSaga.Emitted"/>) as
/// rows in the saga's transaction (<see cref="WriteAsync"/>, right before the saga row), so the saga change and its
/// messages commit together, hands them to the <see cref="OutboxDispatcher"/> at the commit (<see
/// cref="HandOverCommitted"/>, with the other messages of the same group commit) and awaits their delivery after it
/// (<see cref="DeliverCommittedAsync"/>); whatever is not delivered then is delivered by <c>OutboxRelay</c>.
/// </summary>
public sealed class OutboxSession(
    OutboxRowWriter writer, OutboxDispatcher dispatcher, TimeProvider time, ILogger<OutboxSession> logger)
    : ISagaOutbox
{
    readonly List<OutboxMessage> _added = [];
    int _written;
    (Task Outcome, int Count)? _handedOver;

    /// <summary>
    /// Takes the messages the saga emitted since the last write (leaving its list empty) and stores them, in the saga
    /// message's transaction.
    /// </summary>
    public async Task WriteAsync(FanoutSaga saga, CancellationToken cancellationToken)
    {
        foreach (var emitted in saga.Emitted)
            Add(emitted.Message, saga.Cid, emitted.Queue);
        saga.Emitted.Clear();
        if (_written == _added.Count)
            return;
        await writer.InsertAsync(_added[_written..], cancellationToken).ConfigureAwait(false);
        _written = _added.Count;
    }

    void Add(object message, string cid, string? destination)
    {
        var type = message.GetType();
        _added.Add(new OutboxMessage
        {
            Id = NewId.NextGuid(),
            Cid = cid,
            Destination = destination,
            MessageType = OutboxMessageTypes.NameOf(type),
            Body = JsonSerializer.Serialize(message, type),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            Message = message,
        });
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
