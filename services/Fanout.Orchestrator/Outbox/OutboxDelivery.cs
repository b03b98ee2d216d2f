using System.Text.Json;
using Fanout.Bus.Resilience;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>Sends or publishes stored outbox rows with their stored id as MessageId.</summary>
public sealed class OutboxDelivery(IBus bus, DeliveredOutboxMessages delivered, BoundedPublish bounded, ILogger<OutboxDelivery> logger)
{
    const int Parallelism = 256;

    // Bounds each batch (each message is bounded and retried by BoundedPublish): the relay delivers what is left.
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task DeliverAsync(IReadOnlyList<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        Exception? failure = null;
        // State changes leave first and one at a time: an observer then sees a run start before any of its targets
        // can finish, and a backlog's changes in the order they were committed. The rest go out in parallel.
        foreach (var row in rows.Where(IsStateChange).OrderBy(r => r.CreatedAtUtc))
        {
            var outcome = await TryDeliver(row, timeout.Token).ConfigureAwait(false);
            if (outcome is null)
                delivered.Add([row.Id]);
            failure ??= outcome;
        }

        foreach (var chunk in rows.Where(r => !IsStateChange(r)).Chunk(Parallelism))
        {
            var outcomes = await Task.WhenAll(chunk.Select(row => TryDeliver(row, timeout.Token))).ConfigureAwait(false);
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
                await bounded.RunAsync(token => bus.Publish(message, type, Pipe.Execute<PublishContext>(c => c.MessageId = row.Id), token),
                    cancellationToken).ConfigureAwait(false);
                return null;
            }

            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{row.Destination}")).ConfigureAwait(false);
            await bounded.RunAsync(token => endpoint.Send(message, type, Pipe.Execute<SendContext>(c => c.MessageId = row.Id), token),
                cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Outbox message {MessageId} ({MessageType}) of {Cid} not delivered", row.Id, row.MessageType, row.Cid);
            return ex;
        }
    }
}
