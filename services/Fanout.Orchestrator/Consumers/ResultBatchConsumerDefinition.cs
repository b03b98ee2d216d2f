using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// The results queue (<see cref="OrchestratorQueues.Results"/>): on RabbitMQ a single active consumer, so one
/// orchestrator applies every run's results and the others stand by (no two wait on one run's row lock); results
/// arrive only by send (no binding of the message type's exchange). Prefetch, concurrency and retry as on the
/// completions queue (<see cref="ResultEndpoint"/>): a delivery already carries what its host gathered while its
/// previous send was in flight, and deliveries that arrive together share one commit (the saga's write group).
/// </summary>
public sealed class ResultBatchConsumerDefinition : ConsumerDefinition<ResultBatchConsumer>
{
    readonly OrchestratorSettings _settings;

    public ResultBatchConsumerDefinition(OrchestratorSettings settings)
    {
        _settings = settings;
        EndpointName = OrchestratorQueues.Results;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<ResultBatchConsumer> consumer, IRegistrationContext context)
    {
        ResultEndpoint.Configure(endpoint, _settings);
        endpoint.ConfigureConsumeTopology = false;
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.SingleActiveConsumer = true;
    }
}
