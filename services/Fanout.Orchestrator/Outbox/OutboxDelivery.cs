using Fanout.Bus;
using Fanout.Bus.Resilience;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Sends or publishes stored outbox rows, coalesced into as few broker messages as <see cref="OutboxCoalescing"/>
/// allows. A send the broker refuses for good is settled by <see cref="RefusedOutboxMessages"/> at once, row by row,
/// neither retried nor left to hold up the rows behind it. Rows are marked delivered
/// (<see cref="DeliveredOutboxMessages"/>) only when the message that carried them was confirmed.
/// </summary>
public sealed class OutboxDelivery(IBus bus, QueueAddresses addresses, DeliveredOutboxMessages delivered,
    BoundedPublish bounded, BrokerRefusals refusals, RefusedOutboxMessages refused, OrchestratorSettings settings,
    ILogger<OutboxDelivery> logger)
{
    const int Parallelism = 256;

    // Bounds each batch (each message is bounded and retried by BoundedPublish): the relay delivers what is left.
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Delivers <paramref name="rows"/>; throws when any was not delivered (it stays stored).</summary>
    public async Task DeliverAsync(IReadOnlyList<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        var (_, failure) = await TryDeliverAsync(rows, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
            throw new InvalidOperationException("Some outbox messages could not be delivered.", failure);
    }

    /// <summary>
    /// Delivers what it can of <paramref name="rows"/>: returns the ids of the rows not delivered, and the first
    /// reason.
    /// </summary>
    public async Task<(IReadOnlySet<Guid> Undelivered, Exception? Failure)> TryDeliverAsync(
        IReadOnlyList<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var coalesced = OutboxCoalescing.Coalesce(rows, Math.Max(1, settings.CallsPerMessage));
        var undelivered = new HashSet<Guid>();
        var failure = coalesced.Unreadable.Count > 0 ? coalesced.Unreadable[0].Error : null;
        foreach (var (row, error) in coalesced.Unreadable)
        {
            logger.LogWarning(error, "Outbox message {MessageId} ({MessageType}) of {Cid} cannot be read",
                row.Id, row.MessageType, row.Cid);
            undelivered.Add(row.Id);
        }

        // State changes come first (coalesced in commit order), then the rest; their confirms are awaited together
        // rather than one round trip each before the invocations. An observer still sees a run start before any of
        // its targets finish: a target's result reaches the saga only after a whole round trip through a service,
        // and the next state change is published only after that.
        foreach (var chunk in coalesced.Messages.Chunk(Parallelism))
        {
            var outcomes = await Task.WhenAll(chunk.Select(message => TryDeliver(message, timeout.Token)))
                .ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
                if (outcomes[i] is null)
                    delivered.Add(chunk[i].Rows.Select(r => r.Id));
                else
                    undelivered.UnionWith(chunk[i].Rows.Select(r => r.Id));
            failure ??= outcomes.FirstOrDefault(o => o is not null);
        }

        return (undelivered, failure);
    }

    async Task<Exception?> TryDeliver(OutgoingMessage outgoing, CancellationToken cancellationToken)
    {
        try
        {
            var (message, type, id) = (outgoing.Message, outgoing.Type, outgoing.MessageId);
            if (outgoing.Destination is not { } destination)
            {
                await bounded.RunAsync(
                    token => bus.Publish(message, type, Pipe.Execute<PublishContext>(c => c.MessageId = id), token),
                    cancellationToken).ConfigureAwait(false);
                return null;
            }

            var endpoint = await bus.GetSendEndpoint(addresses.For(destination)).ConfigureAwait(false);
            // MassTransit retries a send the broker refused until it is cancelled: stop at the refusal instead.
            using var refusal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using (refusals.Watch(destination, refusal.Cancel))
            {
                try
                {
                    var withId = Pipe.Execute<SendContext>(c => c.MessageId = id);
                    await bounded.RunAsync(token => endpoint.Send(message, type, withId, token), refusal.Token)
                        .ConfigureAwait(false);
                    return null;
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested
                                        && refusals.ReasonFor(destination) is { } reason)
                {
                    foreach (var row in outgoing.Rows)
                        await refused.SettleAsync(row, row.Message!, reason, cancellationToken).ConfigureAwait(false);
                    return null;
                }
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Outbox message {MessageId} ({MessageType}, {Count} rows, first of {Cid}) " +
                "not delivered", outgoing.MessageId, outgoing.Type.Name, outgoing.Rows.Count, outgoing.Rows[0].Cid);
            return ex;
        }
    }
}
