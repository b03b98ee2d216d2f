using System.Text.Json;
using Fanout.Orchestrator.Persistence;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Per saga message: activities add the messages they emit here; the repository stores them as rows in the saga's
/// transaction (<see cref="WriteAsync"/>, right before the saga row), so the saga change and its messages commit
/// together, and calls <see cref="DeliverCommittedAsync"/> after commit; whatever is not delivered then is delivered
/// by <c>OutboxRelay</c>.
/// </summary>
public sealed class OutboxSession(
    OutboxRowWriter writer, OutboxDelivery delivery, TimeProvider time, ILogger<OutboxSession> logger)
{
    readonly List<OutboxMessage> _added = [];
    int _written;

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

    public async Task DeliverCommittedAsync(CancellationToken cancellationToken)
    {
        if (_written == 0)
            return;
        var rows = _added[.._written];
        _added.RemoveRange(0, _written);
        _written = 0;
        try
        {
            await delivery.DeliverAsync(rows, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex,
                "Delivery of {Count} outbox messages failed after commit; the outbox relay retries them", rows.Count);
        }
    }
}
