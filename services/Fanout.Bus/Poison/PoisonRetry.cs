using System.Runtime.Serialization;
using System.Text.Json;
using MassTransit;

namespace Fanout.Bus.Poison;

public static class PoisonRetry
{
    /// <summary>
    /// Leaves out of a retry policy the faults that repeat identically on every attempt: a body that is not JSON or
    /// does not bind to the message type, and an <see cref="UnprocessableMessageException"/>. Such a message goes to
    /// the <c>_error</c> queue on its first delivery.
    /// </summary>
    public static IRetryConfigurator IgnorePoison(this IRetryConfigurator retry)
    {
        retry.Ignore<SerializationException>();
        retry.Ignore<JsonException>();
        retry.Ignore<UnprocessableMessageException>();
        return retry;
    }
}
