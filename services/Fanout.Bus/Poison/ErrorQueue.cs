using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Poison;

/// <summary>Marks a failed message with its reason and logs the one line that says where it went and why.</summary>
static class ErrorQueue
{
    public static void Describe(ExceptionReceiveContext context, ILogger logger)
    {
        var reason = PoisonReasons.Of(context.Exception);
        context.ExceptionHeaders.Set(PoisonReasons.Header, reason);
        var queue = QueueName(context);
        logger.LogError("Message {MessageId} on {Queue} moved to {ErrorQueue}: {Reason}",
            MessageId(context), queue, queue + "_error", reason);
    }

    public static string QueueName(ReceiveContext context) => context.InputAddress.AbsolutePath.Split('/')[^1];

    /// <summary>The envelope's id, else the transport's (a plain AMQP message's message_id), else "none".</summary>
    static string MessageId(ReceiveContext context) =>
        context.TryGetPayload(out ConsumeContext? consume) && consume.MessageId is { } id ? id.ToString()
        : context.TryGetPayload(out RabbitMqBasicConsumeContext? rabbit)
            && rabbit.Properties.MessageId is { Length: > 0 } amqpId ? amqpId
        : context.TransportHeaders.Get<string>(MessageHeaders.MessageId) ?? "none";
}
