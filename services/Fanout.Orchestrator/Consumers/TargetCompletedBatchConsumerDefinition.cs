using Fanout.Contracts;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Completions (<see cref="OrchestratorQueues.Completions"/>) in batches of up to <c>CompletionBatchSize</c> per CID:
/// what was already delivered (prefetched) when the first arrived, with no wait for more beyond 1 ms; enough
/// prefetch to fill two batches at once.
/// </summary>
public sealed class TargetCompletedBatchConsumerDefinition : ConsumerDefinition<TargetCompletedBatchConsumer>
{
    readonly OrchestratorSettings _settings;

    public TargetCompletedBatchConsumerDefinition(OrchestratorSettings settings)
    {
        _settings = settings;
        EndpointName = OrchestratorQueues.Completions;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<TargetCompletedBatchConsumer> consumer, IRegistrationContext context)
    {
        ResultEndpoint.Configure(endpoint, _settings);
        consumer.Options<BatchOptions>(o => o
            .SetMessageLimit(_settings.CompletionBatchSize)
            .SetTimeLimit(ms: 1)
            .SetConcurrencyLimit(2)
            .GroupBy<TargetCompleted, string>(m => m.Message.Cid));
    }
}
