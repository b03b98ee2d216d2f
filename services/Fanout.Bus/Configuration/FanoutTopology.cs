using Fanout.Contracts;
using MassTransit;
using RabbitMQ.Client;

namespace Fanout.Bus;

/// <summary>
/// Callback messages are routed by callback name. On RabbitMQ they are published to topic exchanges with the
/// callback name as routing key; each service queue binds its own name, an observer binds '#'. The in-memory
/// transport has no routing keys, so there every service queue receives all callbacks and filters by name.
/// </summary>
public sealed class FanoutTopology(bool rabbitMq)
{
    public const string AllCallbacks = "#";

    public bool IsRabbitMq { get; } = rabbitMq;

    internal static void ConfigureCallbackRouting(IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.Publish<TargetCallbackRequested>(p => p.ExchangeType = ExchangeType.Topic);
        cfg.Send<TargetCallbackRequested>(s => s.UseRoutingKeyFormatter(c => c.Message.Callback));
        cfg.Publish<FinalCallbackRequested>(p => p.ExchangeType = ExchangeType.Topic);
        cfg.Send<FinalCallbackRequested>(s => s.UseRoutingKeyFormatter(c => c.Message.Callback));
    }

    /// <summary>
    /// Delivers to this endpoint the callbacks addressed to <paramref name="routingKey"/> (a service name, or
    /// <see cref="AllCallbacks"/>).
    /// </summary>
    public void BindCallbacks(IReceiveEndpointConfigurator endpoint, string routingKey)
    {
        if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
            return;
        rabbit.ConfigureConsumeTopology = false;
        rabbit.Bind<TargetCallbackRequested>(b => { b.ExchangeType = ExchangeType.Topic; b.RoutingKey = routingKey; });
        rabbit.Bind<FinalCallbackRequested>(b => { b.ExchangeType = ExchangeType.Topic; b.RoutingKey = routingKey; });
    }
}
