using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>Queries (<see cref="OrchestratorQueues.Queries"/>): a few at once, beside the saga's writes.</summary>
public sealed class FanoutQueryConsumerDefinition : ConsumerDefinition<FanoutQueryConsumer>
{
    public FanoutQueryConsumerDefinition() => EndpointName = OrchestratorQueues.Queries;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<FanoutQueryConsumer> consumer, IRegistrationContext context) =>
        endpoint.ConcurrentMessageLimit = 8;
}
