using Fanout.Contracts;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// <see cref="CallsCompleted"/> on the completions endpoint (<see cref="OrchestratorQueues.Completions"/>), beside
/// single <see cref="TargetCompleted"/> events. Each message already carries up to a few hundred results, so a batch
/// here is the messages of one CID that arrive within 10 ms; up to 64, so a run's services (200 × 10: ten
/// <see cref="CallsCompleted"/> per CID arriving together) merge into one saga write rather than 8 + 2. Prefetch and
/// concurrency are the endpoint's (<see cref="TargetCompletedBatchConsumerDefinition"/>).
/// </summary>
public sealed class CallsCompletedBatchConsumerDefinition : ConsumerDefinition<CallsCompletedBatchConsumer>
{
    const int MessagesPerBatch = 64;

    public CallsCompletedBatchConsumerDefinition() => EndpointName = OrchestratorQueues.Completions;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<CallsCompletedBatchConsumer> consumer, IRegistrationContext context)
    {
        consumer.Options<BatchOptions>(o => o
            .SetMessageLimit(MessagesPerBatch)
            .SetTimeLimit(ms: 10)
            .SetConcurrencyLimit(2)
            .GroupBy<CallsCompleted, string>(m => m.Message.Cid));
    }
}
