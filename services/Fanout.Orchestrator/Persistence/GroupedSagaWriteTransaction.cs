using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// SQLite: the writes of one saga message, begun at its first write rather than before the saga is loaded, as a member
/// of a <see cref="SagaWriteGroup"/>: SQLite has one writer, so everything a saga message does before it writes —
/// opening its connection, loading the saga, the state machine's dispatch, building rows and messages — runs outside
/// the group, beside other sagas' writes. At the first write the message's DbContext moves to the group's connection
/// and transaction (its own savepoint), and back to a connection of its own when it leaves. Reads before the first
/// write see the latest commit (autocommit, no snapshot held); a change committed in between by someone else is caught
/// by the saga's <c>Version</c> check (and retried), and messages of one CID never run at once (the partitioner), so a
/// message never reads a CID whose earlier message's group has not committed yet.
/// </summary>
public sealed class GroupedSagaWriteTransaction(
    FanoutDbContext dbContext, SagaWriteGroup group, OrchestratorSettings settings) : SagaWriteTransaction
{
    SagaWriteGroup.Member? _member;
    SagaWriteGroup.Ticket? _ticket;

    /// <summary>
    /// Nothing to begin: reads before the first write run outside the group, in autocommit. The ticket is handed to
    /// the group at the first write, or given back when the message ends without one.
    /// </summary>
    public override Task BeginAsync(SagaWriteGroup.Ticket? ticket, CancellationToken cancellationToken)
    {
        _ticket = ticket;
        return Task.CompletedTask;
    }

    public override Task<TSaga?> LoadAsync<TSaga>(
        DbContext context, Guid correlationId, CancellationToken cancellationToken)
        where TSaga : class =>
        SagaLoads<TSaga>.ById(context, correlationId, cancellationToken);

    /// <summary>
    /// Joins the write group and moves the context onto its transaction, once; every write of the saga message calls it
    /// first.
    /// </summary>
    public override async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_member is not null)
            return;
        // The connection the saga was loaded on: a context's connection can only be swapped while closed.
        await dbContext.Database.CloseConnectionAsync().ConfigureAwait(false);
        var member = await group.JoinAsync(cancellationToken, _ticket).ConfigureAwait(false);
        try
        {
            dbContext.Database.SetDbConnection(member.Connection, contextOwnsConnection: false);
            await dbContext.Database.UseTransactionAsync(member.Transaction, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await LeaveAsync(member, keep: false).ConfigureAwait(false);
            throw;
        }

        _member = member;
    }

    /// <summary>
    /// A command on the message's transaction (joining the group first), for statements EF Core does not write.
    /// </summary>
    public override async Task<DbCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var command = _member!.Connection.CreateCommand();
        command.Transaction = _member.Transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// Keeps what was written (nothing to do when nothing was) and returns once the group committed it.
    /// </summary>
    public override async Task CommitAsync(Action? atCommit, CancellationToken cancellationToken)
    {
        if (_member is not { } member)
        {
            atCommit?.Invoke();
            return;
        }

        _member = null;
        await LeaveAsync(member, keep: true, atCommit).ConfigureAwait(false);
    }

    /// <summary>
    /// Rolls back what was written and not kept, and leaves the group (or gives an unused ticket back).
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        if (_ticket is { } ticket)
            await ticket.ReturnAsync().ConfigureAwait(false);
        if (_member is not { } member)
            return;
        _member = null;
        await LeaveAsync(member, keep: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Whatever detaching the context does, the member leaves: the group's turn must always be handed on.
    /// </summary>
    async Task LeaveAsync(SagaWriteGroup.Member member, bool keep, Action? atCommit = null)
    {
        try
        {
            await RestoreConnectionAsync().ConfigureAwait(false);
        }
        catch
        {
            await member.LeaveAsync(keep: false).ConfigureAwait(false);
            throw;
        }

        await member.LeaveAsync(keep, atCommit).ConfigureAwait(false);
    }

    /// <summary>
    /// Detaches the context from the group's connection: a pooled context goes back with a connection of its own.
    /// </summary>
    async Task RestoreConnectionAsync()
    {
        await dbContext.Database.UseTransactionAsync(null).ConfigureAwait(false);
        dbContext.Database.SetDbConnection(
            new SqliteConnection(settings.SqliteConnectionString), contextOwnsConnection: true);
    }
}
