using Microsoft.Extensions.Configuration;

namespace Fanout.Bus;

/// <summary>
/// The kind of RabbitMQ queue every durable receive endpoint is declared as: <c>Fanout:RabbitMq:QueueType</c>.
/// </summary>
public enum RabbitMqQueueType
{
    /// <summary>RabbitMQ's classic queue, on one node (the default).</summary>
    Classic,

    /// <summary>A quorum queue, replicated over the cluster's nodes (Raft); always durable, never exclusive.</summary>
    Quorum,
}

public static class RabbitMqQueueTypeSetting
{
    /// <summary>
    /// A child of the broker URL setting (<c>Fanout:RabbitMq</c>), so it is read here rather than bound with
    /// <see cref="FanoutBusSettings"/>, whose <c>RabbitMq</c> is that URL.
    /// </summary>
    public const string Key = "Fanout:RabbitMq:QueueType";

    /// <summary>The configured queue type; <see cref="RabbitMqQueueType.Classic"/> when unset.</summary>
    /// <exception cref="InvalidOperationException">The value is neither <c>classic</c> nor <c>quorum</c>.</exception>
    public static RabbitMqQueueType Read(IConfiguration configuration) =>
        configuration[Key]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "classic" => RabbitMqQueueType.Classic,
            "quorum" => RabbitMqQueueType.Quorum,
            var other => throw new InvalidOperationException(
                $"{Key} (environment Fanout__RabbitMq__QueueType) is '{other}'; " +
                "it must be 'classic' (the default) or 'quorum'."),
        };
}
