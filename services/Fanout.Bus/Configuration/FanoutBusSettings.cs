using Fanout.Bus.Resilience;

namespace Fanout.Bus;

/// <summary>
/// Settings shared by every host, bound from the <c>Fanout</c> configuration section; the broker URL also
/// comes from the <c>FANOUT_RABBITMQ</c> environment variable. No broker URL means MassTransit's in-memory transport.
/// </summary>
public sealed class FanoutBusSettings
{
    public const string Section = "Fanout";
    public const string RabbitMqVariable = "FANOUT_RABBITMQ";

    /// <summary>amqp://user:password@host:5672/vhost, or null for the embedded in-memory transport.</summary>
    /// <remarks>
    /// Read by <c>AddFanoutBus</c>, not bound: <c>Fanout:RabbitMq</c> also has children
    /// (<see cref="RabbitMqQueueTypeSetting.Key"/>), and the configuration binder cannot bind a string from a section
    /// with children.
    /// </remarks>
    public string? RabbitMq { get; internal set; }

    /// <summary>Reported as <c>source</c> for fan-outs started through an injected <c>IFanoutPatterns</c>.</summary>
    public string Source { get; set; } = "app";

    /// <summary>How long an invoke waits for the orchestrator to accept or refuse.</summary>
    public TimeSpan AcknowledgeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Unacknowledged deliveries per service queue.</summary>
    public int PrefetchCount { get; set; } = 32;

    /// <summary>
    /// How services run chunks of calls: <c>Fanout:Services:CallConcurrency</c> and the result batching.
    /// </summary>
    public ServiceHostSettings Services { get; set; } = new();

    /// <summary>Reconnecting after the broker went away, and bounded publishes: <c>Fanout:Reconnect:*</c>.</summary>
    public ReconnectSettings Reconnect { get; set; } = new();

    public bool UsesRabbitMq => !string.IsNullOrWhiteSpace(RabbitMq);
}
