using Fanout.Orchestrator.Persistence;
using MassTransit;

namespace Fanout.Orchestrator.Activities;

/// <summary>Base for the state machine's activities: they get services from DI and run one step, then continue.</summary>
public abstract class FanoutActivity<TMessage> : IStateMachineActivity<FanoutSaga, TMessage>
    where TMessage : class
{
    protected abstract Task ExecuteAsync(BehaviorContext<FanoutSaga, TMessage> context);

    public async Task Execute(BehaviorContext<FanoutSaga, TMessage> context, IBehavior<FanoutSaga, TMessage> next)
    {
        await ExecuteAsync(context).ConfigureAwait(false);
        await next.Execute(context).ConfigureAwait(false);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<FanoutSaga, TMessage, TException> context,
        IBehavior<FanoutSaga, TMessage> next) where TException : Exception =>
        next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope(GetType().Name);

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
