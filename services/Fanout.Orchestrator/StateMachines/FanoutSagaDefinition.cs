using Fanout.Bus.Poison;
using Fanout.Contracts;
using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Runs;
using MassTransit;

namespace Fanout.Orchestrator.StateMachines;

/// <summary>
/// How the saga's endpoint (<see cref="OrchestratorQueues.Saga"/>) consumes: many CIDs at once, one message at a time
/// per CID, retried with a fresh DbContext, replies held until the saga's transaction committed.
/// </summary>
public sealed class FanoutSagaDefinition : SagaDefinition<FanoutSaga>
{
    readonly OrchestratorSettings _settings;

    public FanoutSagaDefinition(OrchestratorSettings settings)
    {
        _settings = settings;
        EndpointName = OrchestratorQueues.Saga;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<FanoutSaga> saga,
        IRegistrationContext context)
    {
        endpoint.PrefetchCount = _settings.SagaConcurrency * 4;
        endpoint.ConcurrentMessageLimit = _settings.SagaConcurrency;
        // Outside the saga's DI scope, so each attempt gets a fresh DbContext.
        endpoint.UseMessageRetry(r => r.Intervals(50, 200, 500, 1000, 2000, 5000).IgnorePoison());
        // Replies (accepted/refused) leave only after the saga's transaction committed.
        endpoint.UseInMemoryOutbox(context);

        // Messages of one CID never run at once: no optimistic-concurrency conflicts,
        // no SQLite busy waits between them.
        var partitioner = endpoint.CreatePartitioner(_settings.SagaConcurrency);
        saga.Message<InvokeFanout>(m => m.UsePartitioner(partitioner, c => RunCid.Of(c)));
        saga.Message<RecordTargetResults>(m => m.UsePartitioner(partitioner, c => c.Message.Cid));
        saga.Message<SubmitTargetResult>(m => m.UsePartitioner(partitioner, c => c.Message.Cid));
        saga.Message<FanoutDeadlineReached>(m => m.UsePartitioner(partitioner, c => c.Message.Cid));
        saga.Message<CancelFanout>(m => m.UsePartitioner(partitioner, c => c.Message.Cid));
    }
}
