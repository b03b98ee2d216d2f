using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.StateMachines;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Orchestrator.FanIn;

/// <summary>
/// Applies results to their runs' sagas in this process, without another trip through the broker: each run's
/// <see cref="RecordTargetResults"/> goes to the saga state machine hosted on MassTransit's mediator (same
/// repository, activities and outbox as on the saga's queue), all runs of a batch at once. On SQLite every run whose
/// lock is free holds a place in the write group (<see cref="SagaWriteGroup.Ticket"/>) from the start, so those runs
/// commit in one transaction; a run busy with another message waits for its lock, then joins whichever group is open.
/// On PostgreSQL each run commits on its own, side by side. Returns after every run's commit (and the delivery of what
/// its saga emitted), so the caller acknowledges the delivery only then; if any run failed it throws, the delivery is
/// retried, and the runs already applied drop the repeated keys.
/// </summary>
public sealed class ResultsFanIn(IMediator mediator, RunLocks locks, IServiceProvider provider)
{
    readonly SagaWriteGroup? _group = provider.GetService<SagaWriteGroup>();

    /// <param name="runs">One entry per CID.</param>
    public async Task ApplyAsync(IReadOnlyList<RecordTargetResults> runs, CancellationToken cancellationToken)
    {
        // A ticket holds up the group's commit, so its holder must wait for nothing but its own writes: only a run
        // holding its lock gets one (a saga message holding the lock may be waiting for that very commit).
        var free = runs.Select(run => locks.TryEnter(run.Cid)).ToList();
        var tickets = free.Select(held => held is null ? null : _group?.Expect()).ToList();
        await Task.WhenAll(runs.Select((run, i) => free[i] is { } held
                ? ApplyAsync(run, held, tickets[i], cancellationToken)
                : ApplyWhenFreeAsync(run, cancellationToken)))
            .ConfigureAwait(false);
    }

    async Task ApplyWhenFreeAsync(RecordTargetResults run, CancellationToken cancellationToken)
    {
        var held = await locks.EnterAsync(run.Cid, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(run, held, _group?.Expect(), cancellationToken).ConfigureAwait(false);
    }

    async Task ApplyAsync(RecordTargetResults run, IDisposable held, SagaWriteGroup.Ticket? ticket,
        CancellationToken cancellationToken)
    {
        using var _ = held;
        try
        {
            await mediator.Send(run, Pipe.Execute<SendContext>(send =>
            {
                if (ticket is not null)
                    send.GetOrAddPayload(() => ticket);
            }), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Already counted when the run wrote; this covers a run that failed before reaching the store.
            if (ticket is not null)
                await ticket.ReturnAsync().ConfigureAwait(false);
        }
    }
}
