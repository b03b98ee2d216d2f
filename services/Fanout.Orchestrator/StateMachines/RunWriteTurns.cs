using Fanout.Orchestrator.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Orchestrator.StateMachines;

/// <summary>
/// A run's turn to go through the saga in process (<c>ResultsFanIn</c>, <c>RunIntake</c>): its CID's lock
/// (<see cref="RunLocks"/>) and, on SQLite, a place held in the write group (<see cref="SagaWriteGroup.Ticket"/>) so
/// the runs taken together commit together. A ticket holds up the group's commit, so its holder must wait for nothing
/// but its own writes: a run gets one only while holding its lock (a saga message holding the lock may be waiting for
/// that very commit).
/// </summary>
public sealed class RunWriteTurns(RunLocks locks, IServiceProvider provider)
{
    readonly SagaWriteGroup? _group = provider.GetService<SagaWriteGroup>();

    /// <summary>The run's turn if its lock is free, else null at once.</summary>
    public Turn? TryTake(string cid) => locks.TryEnter(cid) is { } held ? new Turn(held, _group?.Expect()) : null;

    /// <summary>Waits for the run's lock, then holds its place in the group that is open.</summary>
    public async Task<Turn> TakeAsync(string cid, CancellationToken cancellationToken)
    {
        var held = await locks.EnterAsync(cid, cancellationToken).ConfigureAwait(false);
        return new Turn(held, _group?.Expect());
    }

    /// <summary>A held lock and place; disposing gives the place back (if unused) and then the lock.</summary>
    public sealed class Turn(IDisposable held, SagaWriteGroup.Ticket? ticket) : IAsyncDisposable
    {
        /// <summary>Hands the place to the saga's repository with the message sent to the mediator.</summary>
        public void Attach(SendContext send)
        {
            if (ticket is not null)
                send.GetOrAddPayload(() => ticket);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                // Already counted when the run wrote; this covers a run that wrote nothing or failed before.
                if (ticket is not null)
                    await ticket.ReturnAsync().ConfigureAwait(false);
            }
            finally
            {
                held.Dispose();
            }
        }
    }
}
