using System.Text.Json;
using MassTransit;
using MassTransit.Middleware.Rescue;
using MassTransit.Transports;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Poison;

/// <summary>
/// The dead-letter pipe: a message nothing on the queue consumes (an unknown message type) goes to the <c>_error</c>
/// queue with a reason, where operators look, instead of MassTransit's <c>_skipped</c> queue with none.
/// </summary>
sealed class NotConsumedToErrorFilter(ILogger logger) : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        var exception = new UnprocessableMessageException(
            PoisonReasons.NotConsumed(ErrorQueue.QueueName(context), MessageTypes(context)));
        var failed = new RescueExceptionReceiveContext(context, exception);
        ErrorQueue.Describe(failed, logger);
        if (!context.TryGetPayload(out IErrorTransport? transport))
            throw new TransportException(context.InputAddress,
                "The error transport is not available on the receive context.");
        await transport.Send(failed).ConfigureAwait(false);
        await next.Send(context).ConfigureAwait(false);
    }

    /// <summary>
    /// The envelope's messageType list (the consume context that read it is gone by now); empty if there is none.
    /// </summary>
    static IReadOnlyList<string> MessageTypes(ReceiveContext context)
    {
        try
        {
            using var body = JsonDocument.Parse(context.Body.GetBytes());
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("messageType", out var types)
                && types.ValueKind == JsonValueKind.Array
                ? types.EnumerateArray().Select(t => t.ToString()).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("notConsumedToError");
}
