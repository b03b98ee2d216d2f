using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Result batches on the completions endpoint (<see cref="OrchestratorQueues.Completions"/>), beside single
/// <see cref="Fanout.Contracts.TargetCompleted"/> events; each delivery on its own, no batch window: a message already
/// carries what its host gathered while its previous send was in flight, and batches that arrive together share one
/// commit (the saga's write group). Prefetch, concurrency and retry are the endpoint's
/// (<see cref="TargetCompletedBatchConsumerDefinition"/>).
/// </summary>
public sealed class CallsCompletedConsumerDefinition : ConsumerDefinition<CallsCompletedConsumer>
{
    public CallsCompletedConsumerDefinition() => EndpointName = OrchestratorQueues.Completions;
}
