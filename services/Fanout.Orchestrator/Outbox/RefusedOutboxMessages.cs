using Fanout.Bus.Resilience;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// What becomes of an outbox row the broker refused for good (<see cref="BrokerRefusals"/>): sending it again cannot
/// succeed, and retrying it on every relay pass would hold up the rows behind it. An invocation of calls is recorded
/// as their failure, with the broker's reason, so the run goes on to its callbacks; anything else is dropped with an
/// error line (dead-lettered to the log).
/// </summary>
public sealed class RefusedOutboxMessages(IBus bus, BoundedPublish bounded, TimeProvider clock,
    ILogger<RefusedOutboxMessages> logger)
{
    /// <summary>Settles <paramref name="row"/>; throws when its failure was not published (the row is kept).</summary>
    public async Task SettleAsync(OutboxMessage row, object message, string reason, CancellationToken cancellationToken)
    {
        if (message is InvokeCalls invocation)
        {
            var exception = $"the broker refused the invocation of '{invocation.Service}' for good: {reason}";
            var respondedAt = clock.GetUtcNow().UtcDateTime;
            await bounded.RunAsync(token => bus.Publish(new CallsCompleted
            {
                Cid = invocation.Cid,
                Service = invocation.Service,
                Results = invocation.Calls.Select(call => new CallResult
                {
                    Key = call.Key, Ok = false, Exception = exception,
                    RequestedAtUtc = invocation.RequestedAtUtc, RespondedAtUtc = respondedAt,
                }).ToList(),
            }, token), cancellationToken).ConfigureAwait(false);
            logger.LogError("The broker refused {MessageType} to {Destination} of {Cid} for good ({Reason}); " +
                "its {Count} calls are recorded as failed",
                row.MessageType, row.Destination, row.Cid, reason, invocation.Calls.Count);
            return;
        }

        logger.LogError("The broker refused {MessageType} to {Destination} of {Cid} for good ({Reason}); " +
            "the message is dropped (outbox row {MessageId})",
            row.MessageType, row.Destination ?? "its exchange", row.Cid, reason, row.Id);
    }
}
