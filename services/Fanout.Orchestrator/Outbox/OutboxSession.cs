using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Per saga message: activities add the messages they emit here, as rows in the same DbContext as the saga,
/// so the saga change and its messages commit together. The repository calls <see cref="DeliverCommittedAsync"/>
/// after commit; whatever is not delivered then is delivered by <c>OutboxRelay</c>.
/// </summary>
public sealed class OutboxSession(IOutboxDbContext dbContext, OutboxDelivery delivery, ILogger<OutboxSession> logger)
{
    readonly List<OutboxMessage> _added = [];

    public void Publish<T>(T message, string cid) where T : class => Add(message, cid, destination: null);

    public void Send<T>(T message, string cid, string queue) where T : class => Add(message, cid, queue);

    void Add<T>(T message, string cid, string? destination) where T : class
    {
        var row = new OutboxMessage
        {
            Id = NewId.NextGuid(),
            Cid = cid,
            Destination = destination,
            MessageType = OutboxMessageTypes.NameOf(typeof(T)),
            Body = JsonSerializer.Serialize(message),
            CreatedAtUtc = DateTime.UtcNow,
            Message = message,
        };
        dbContext.OutboxMessages.Add(row);
        _added.Add(row);
    }

    public async Task DeliverCommittedAsync(CancellationToken cancellationToken)
    {
        if (_added.Count == 0)
            return;
        var rows = _added.ToList();
        _added.Clear();
        try
        {
            await delivery.DeliverAsync(rows, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Delivery of {Count} outbox messages failed after commit; the outbox relay retries them", rows.Count);
        }
    }
}
