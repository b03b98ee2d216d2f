using Fanout.Orchestrator.Runs;
using MassTransit;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Base for the state machine's activities that read the message: they get services from DI and run one step, then
/// continue.
/// </summary>
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

/// <summary>
/// Base for activities that need only the saga, whatever message the event carries (bound with <c>OfInstanceType</c>).
/// </summary>
public abstract class FanoutActivity : IStateMachineActivity<FanoutSaga>
{
    protected abstract Task ExecuteAsync(BehaviorContext<FanoutSaga> context);

    public async Task Execute(BehaviorContext<FanoutSaga> context, IBehavior<FanoutSaga> next)
    {
        await ExecuteAsync(context).ConfigureAwait(false);
        await next.Execute(context).ConfigureAwait(false);
    }

    public async Task Execute<T>(BehaviorContext<FanoutSaga, T> context, IBehavior<FanoutSaga, T> next) where T : class
    {
        await ExecuteAsync(context).ConfigureAwait(false);
        await next.Execute(context).ConfigureAwait(false);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<FanoutSaga, TException> context,
        IBehavior<FanoutSaga> next)
        where TException : Exception =>
        next.Faulted(context);

    public Task Faulted<T, TException>(BehaviorExceptionContext<FanoutSaga, T, TException> context,
        IBehavior<FanoutSaga, T> next)
        where T : class where TException : Exception =>
        next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope(GetType().Name);

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
