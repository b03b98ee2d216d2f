using Fanout.Bus.Poison;
using Fanout.Contracts;
using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Runs;
using MassTransit;

namespace Fanout.Orchestrator.StateMachines;

/// <summary>
/// How the saga's endpoint (<see cref="OrchestratorQueues.Saga"/>) consumes: many CIDs at once, one message at a time
/// per CID (also against results applied in process, <see cref="RunLocks"/>), retried with a fresh DbContext, replies
/// held until the saga's transaction committed.
/// </summary>
public sealed class FanoutSagaDefinition : SagaDefinition<FanoutSaga>
{
    readonly OrchestratorSettings _settings;
    readonly RunLocks _locks;

    public FanoutSagaDefinition(OrchestratorSettings settings, RunLocks locks)
    {
        _settings = settings;
        _locks = locks;
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
        saga.Message<InvokeFanout>(m => m.UseFilter(Lock<InvokeFanout>(c => RunCid.Of(c))));
        // Results come in process (ResultsFanIn); one still queued here from an earlier version is applied too.
        saga.Message<RecordTargetResults>(m => m.UseFilter(Lock<RecordTargetResults>(c => c.Message.Cid)));
        saga.Message<SubmitTargetResult>(m => m.UseFilter(Lock<SubmitTargetResult>(c => c.Message.Cid)));
        saga.Message<FanoutDeadlineReached>(m => m.UseFilter(Lock<FanoutDeadlineReached>(c => c.Message.Cid)));
        saga.Message<CancelFanout>(m => m.UseFilter(Lock<CancelFanout>(c => c.Message.Cid)));
    }

    RunLockFilter<T> Lock<T>(Func<ConsumeContext<T>, string> cidOf) where T : class => new(_locks, cidOf);
}
