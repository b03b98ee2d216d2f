using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Batches of runs on the saga's endpoint (<see cref="OrchestratorQueues.Saga"/>), beside single
/// <see cref="Fanout.Contracts.InvokeFanout"/> requests: each delivery on its own, no batch window (a batch already
/// carries what its sender gathered while its previous request was out). Prefetch, concurrency, retry and the held
/// replies are the endpoint's (<see cref="StateMachines.FanoutSagaDefinition"/>).
/// </summary>
public sealed class InvokeFanoutsConsumerDefinition : ConsumerDefinition<InvokeFanoutsConsumer>
{
    public InvokeFanoutsConsumerDefinition() => EndpointName = OrchestratorQueues.Saga;
}
