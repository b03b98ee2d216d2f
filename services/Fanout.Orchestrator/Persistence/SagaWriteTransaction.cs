using Fanout.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// The write transaction of one saga message, begun at its first write rather than before the saga is loaded.
/// SQLite has one writer (the process-wide <see cref="DatabaseWriteGate"/> queues them), so everything a saga
/// message does before it writes — opening the connection, loading the saga, the state machine's dispatch, building
/// rows and messages — runs outside the gate, beside another saga's write. Reads before the first write see the
/// latest commit (autocommit, no snapshot held), so <c>BEGIN IMMEDIATE</c> cannot fail on a stale snapshot; a change
/// committed in between by someone else is caught by the saga's <c>Version</c> check (and retried), and messages of
/// one CID never run at once (the partitioner).
/// </summary>
public sealed class SagaWriteTransaction(FanoutDbContext dbContext, DatabaseWriteGate writeGate) : IAsyncDisposable
{
    IDisposable? _gate;
    IDbContextTransaction? _transaction;

    public bool Started => _transaction is not null;

    /// <summary>Enters the write gate and begins the transaction, once; every write of the saga message calls it first.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
            return;
        _gate = await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Release();
            throw;
        }
    }

    /// <summary>Commits what was written (nothing to do when nothing was) and leaves the gate.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_transaction is not null)
                await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Rolls back an uncommitted transaction and leaves the gate.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_transaction is not null)
                await _transaction.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _transaction = null;
            Release();
        }
    }

    void Release()
    {
        _gate?.Dispose();
        _gate = null;
    }
}
