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
/// repository, activities and outbox as on the saga's queue), all runs of a batch at once. On SQLite every run holds a
/// place in the write group (<see cref="SagaWriteGroup.Ticket"/>), so the batch's runs commit in one transaction; on
/// PostgreSQL each run commits on its own, side by side. Returns after every run's commit (and the delivery of what
/// its saga emitted), so the caller acknowledges the delivery only then; if any run failed it throws, the delivery is
/// retried, and the runs already applied drop the repeated keys.
/// </summary>
public sealed class ResultsFanIn(IMediator mediator, RunLocks locks, IServiceProvider provider)
{
    readonly SagaWriteGroup? _group = provider.GetService<SagaWriteGroup>();

    public async Task ApplyAsync(IReadOnlyList<RecordTargetResults> runs, CancellationToken cancellationToken)
    {
        // The runs' locks before any ticket: a ticket holds up the group's commit, so its holder must wait for nothing
        // but its own writes (a saga message holding one of these locks waits for that commit).
        using var held = await locks.EnterAllAsync(runs.Select(r => r.Cid), cancellationToken).ConfigureAwait(false);
        var tickets = runs.Select(_ => _group?.Expect()).ToList();
        await Task.WhenAll(runs.Select((run, i) => ApplyAsync(run, tickets[i], cancellationToken)))
            .ConfigureAwait(false);
    }

    async Task ApplyAsync(RecordTargetResults run, SagaWriteGroup.Ticket? ticket, CancellationToken cancellationToken)
    {
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
