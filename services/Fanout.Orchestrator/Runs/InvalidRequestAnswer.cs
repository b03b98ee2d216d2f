using Fanout.Bus.Poison;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Runs;

/// <summary>How an invalid run request is refused, on the plain-JSON intake and in the saga alike.</summary>
public static class InvalidRequestAnswer
{
    /// <summary>
    /// Answers <see cref="FanoutRejected"/> to a sender waiting for it. A sender with no reply address would never
    /// learn of the refusal: the message faults into its queue's _error queue instead, with the reason.
    /// </summary>
    public static Task SendAsync(ConsumeContext context, string cid, string reason, ILogger logger)
    {
        if (context.ResponseAddress is null)
            throw new UnprocessableMessageException($"fan-out {cid} refused: {reason}");
        logger.LogWarning("Fan-out {Cid} refused: {Reason}", cid, reason);
        return context.RespondAsync(
            new FanoutRejected { Cid = cid, Code = FanoutRejected.InvalidRequest, Reason = reason });
    }
}
