using Fanout.Bus;
using System.Text.Json;
using Fanout.Bus.Resilience;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Sends or publishes stored outbox rows with their stored id as MessageId. A send the broker refuses for good is
/// settled by <see cref="RefusedOutboxMessages"/> at once, neither retried nor left to hold up the rows behind it.
/// </summary>
public sealed class OutboxDelivery(IBus bus, QueueAddresses addresses, DeliveredOutboxMessages delivered,
    BoundedPublish bounded, BrokerRefusals refusals, RefusedOutboxMessages refused, ILogger<OutboxDelivery> logger)
{
    const int Parallelism = 256;

    // Bounds each batch (each message is bounded and retried by BoundedPublish): the relay delivers what is left.
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task DeliverAsync(IReadOnlyList<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        Exception? failure = null;
        // State changes are handed to the bus first, in the order they were committed, then the rest; their confirms
        // are awaited together rather than one round trip each before the invocations. An observer still sees a run
        // start before any of its targets finish: a target's result reaches the saga only after a whole round trip
        // through a service, and the next state change is published only after that.
        var ordered = rows.Where(IsStateChange).OrderBy(r => r.CreatedAtUtc)
            .Concat(rows.Where(r => !IsStateChange(r))).ToList();
        foreach (var chunk in ordered.Chunk(Parallelism))
        {
            var outcomes = await Task.WhenAll(chunk.Select(row => TryDeliver(row, timeout.Token)))
                .ConfigureAwait(false);
            delivered.Add(chunk.Where((_, i) => outcomes[i] is null).Select(r => r.Id));
            failure ??= outcomes.FirstOrDefault(o => o is not null);
        }

        if (failure is not null)
            throw new InvalidOperationException("Some outbox messages could not be delivered.", failure);
    }

    static readonly string StateChange = OutboxMessageTypes.NameOf(typeof(FanoutStateChanged));

    static bool IsStateChange(OutboxMessage row) => row.MessageType == StateChange;

    async Task<Exception?> TryDeliver(OutboxMessage row, CancellationToken cancellationToken)
    {
        try
        {
            var type = OutboxMessageTypes.Resolve(row.MessageType);
            var message = row.Message ?? JsonSerializer.Deserialize(row.Body, type)
                ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty body.");
            if (row.Destination is null)
            {
                await bounded.RunAsync(
                    token => bus.Publish(message, type, Pipe.Execute<PublishContext>(c => c.MessageId = row.Id), token),
                    cancellationToken).ConfigureAwait(false);
                return null;
            }

            var endpoint = await bus.GetSendEndpoint(addresses.For(row.Destination)).ConfigureAwait(false);
            // MassTransit retries a send the broker refused until it is cancelled: stop at the refusal instead.
            using var refusal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using (refusals.Watch(row.Destination, refusal.Cancel))
            {
                try
                {
                    var withId = Pipe.Execute<SendContext>(c => c.MessageId = row.Id);
                    await bounded.RunAsync(token => endpoint.Send(message, type, withId, token), refusal.Token)
                        .ConfigureAwait(false);
                    return null;
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested
                                        && refusals.ReasonFor(row.Destination) is { } reason)
                {
                    await refused.SettleAsync(row, message, reason, cancellationToken).ConfigureAwait(false);
                    return null;
                }
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Outbox message {MessageId} ({MessageType}) of {Cid} not delivered",
                row.Id, row.MessageType, row.Cid);
            return ex;
        }
    }
}
