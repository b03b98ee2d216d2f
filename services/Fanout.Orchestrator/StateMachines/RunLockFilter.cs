using MassTransit;

namespace Fanout.Orchestrator.StateMachines;

/// <summary>Holds the message's run lock (<see cref="RunLocks"/>) while the saga handles it.</summary>
public sealed class RunLockFilter<T>(RunLocks locks, Func<ConsumeContext<T>, string> cidOf) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        using (await locks.EnterAsync(cidOf(context), context.CancellationToken).ConfigureAwait(false))
            await next.Send(context).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("runLock");
}
