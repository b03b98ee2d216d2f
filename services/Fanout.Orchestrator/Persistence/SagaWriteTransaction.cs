using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// The transaction one saga message writes in: the saga row, its target rows and its outbox rows commit together.
/// Two ways, one per store (<see cref="FanoutStore"/>): on SQLite a member of a group commit
/// (<see cref="GroupedSagaWriteTransaction"/>), on PostgreSQL a transaction of its own holding the saga row's lock
/// (<see cref="OwnSagaWriteTransaction"/>).
/// </summary>
public abstract class SagaWriteTransaction : IAsyncDisposable
{
    /// <summary>
    /// Called before the saga is loaded, on the message's open connection. <paramref name="ticket"/>: the place the
    /// message holds in the SQLite write group, when it was sent in process as one run of a results batch.
    /// </summary>
    public abstract Task BeginAsync(SagaWriteGroup.Ticket? ticket, CancellationToken cancellationToken);

    /// <summary>Loads the saga row for the message (tracked), or null when the CID has none yet.</summary>
    public abstract Task<TSaga?> LoadAsync<TSaga>(
        DbContext context, Guid correlationId, CancellationToken cancellationToken)
        where TSaga : class, MassTransit.ISaga;

    /// <summary>
    /// Makes the message's DbContext write inside the transaction; every write of the saga message calls it first.
    /// </summary>
    public abstract Task EnsureAsync(CancellationToken cancellationToken);

    /// <summary>A command on the message's transaction, for statements EF Core does not write.</summary>
    public abstract Task<DbCommand> CommandAsync(string sql, CancellationToken cancellationToken);

    /// <summary>Keeps what was written and returns once it is committed.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => CommitAsync(null, cancellationToken);

    /// <summary>
    /// Keeps what was written and returns once it is committed; <paramref name="atCommit"/> runs right after the
    /// commit, before any message of the same commit goes on (on SQLite, for every member of the group in commit
    /// order), so what they hand over leaves together. It must not throw.
    /// </summary>
    public abstract Task CommitAsync(Action? atCommit, CancellationToken cancellationToken);

    /// <summary>Rolls back what was written and not committed.</summary>
    public abstract ValueTask DisposeAsync();
}
