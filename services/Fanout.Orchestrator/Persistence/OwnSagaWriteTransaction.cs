using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// PostgreSQL: one transaction per saga message, on the message's own connection, begun before the saga is loaded;
/// the saga row is loaded with <c>SELECT ... FOR UPDATE</c>, as MassTransit's EF Core repository does on PostgreSQL.
/// Several orchestrator processes share one database, and the endpoint's partitioner serialises a CID within one
/// process only: the row lock makes two processes' messages of one CID wait for each other, and the waiter reads the
/// committed row. The saga's <c>Version</c> check stays as the second guard; a new CID inserted by two processes at
/// once fails one of them on the primary key, and its retry (the saga endpoint retries every exception) loads the saga
/// the other stored. No group commit: a server database commits transactions of different connections side by side.
/// </summary>
public sealed class OwnSagaWriteTransaction(FanoutDbContext dbContext) : SagaWriteTransaction
{
    static readonly ConcurrentDictionary<Type, string> LockStatements = new();

    IDbContextTransaction? _transaction;

    /// <summary>Begins the message's own transaction; no write group here, so no ticket is held.</summary>
    public override Task BeginAsync(SagaWriteGroup.Ticket? ticket, CancellationToken cancellationToken) =>
        BeginAsync(cancellationToken);

    public async Task BeginAsync(CancellationToken cancellationToken) =>
        _transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    public override async Task<TSaga?> LoadAsync<TSaga>(
        DbContext context, Guid correlationId, CancellationToken cancellationToken)
        where TSaga : class
    {
        var sql = LockStatements.GetOrAdd(typeof(TSaga), static (_, model) => LockStatement<TSaga>(model), context);
        // Not composed over (that would wrap the statement in a subquery): the rows as read, then at most one.
        var rows = await context.Set<TSaga>().FromSqlRaw(sql, correlationId).AsTracking()
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    static string LockStatement<TSaga>(DbContext context)
    {
        var entity = context.Model.FindEntityType(typeof(TSaga))
                     ?? throw new InvalidOperationException($"{typeof(TSaga).Name} is not in the model.");
        var table = entity.GetSchema() is { } schema
            ? $"\"{schema}\".\"{entity.GetTableName()}\""
            : $"\"{entity.GetTableName()}\"";
        return $"SELECT * FROM {table} WHERE \"CorrelationId\" = {{0}} FOR UPDATE";
    }

    public override Task EnsureAsync(CancellationToken cancellationToken) =>
        _transaction is null ? BeginAsync(cancellationToken) : Task.CompletedTask;

    public override async Task<DbCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var command = dbContext.Database.GetDbConnection().CreateCommand();
        command.Transaction = _transaction!.GetDbTransaction();
        command.CommandText = sql;
        return command;
    }

    public override async Task CommitAsync(Action? atCommit, CancellationToken cancellationToken)
    {
        if (_transaction is { } transaction)
        {
            _transaction = null;
            await using (transaction.ConfigureAwait(false))
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        atCommit?.Invoke();
    }

    /// <summary>Rolls back (disposing an uncommitted transaction does) and releases the row lock.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_transaction is not { } transaction)
            return;
        _transaction = null;
        await transaction.DisposeAsync().ConfigureAwait(false);
    }
}
