using System.Runtime.Serialization;
using System.Text.Json;

namespace Fanout.Bus.Poison;

/// <summary>The reason, in words, that a message went to its <c>_error</c> queue.</summary>
public static class PoisonReasons
{
    /// <summary>
    /// The header that carries the reason on the moved message (beside MassTransit's MT-Fault-* headers).
    /// </summary>
    public const string Header = "Fanout-Error-Reason";

    public static string Of(Exception exception) => exception switch
    {
        UnprocessableMessageException => exception.Message,
        // MassTransit wraps what System.Text.Json said about the body or envelope in a SerializationException.
        SerializationException { InnerException: JsonException json } => $"the body is not JSON: {json.Message}",
        SerializationException serialization => $"the body cannot be read: {serialization.Message}",
        JsonException json => $"the body does not match the message type: {json.Message}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    /// <summary>Why nothing on a queue consumed a message that was read.</summary>
    public static string NotConsumed(string queue, IEnumerable<string> messageTypes)
    {
        var types = string.Join(", ", messageTypes);
        return types.Length == 0
            ? $"the message names no message type (not a MassTransit envelope?); nothing on {queue} consumes it"
            : $"nothing on {queue} consumes message type {types}";
    }
}
