using Fanout.Storage;
using Microsoft.Data.Sqlite;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Group commit for saga messages. SQLite has one writer, and most of a commit's cost (the WAL frames of every page
/// touched — the index pages all runs share — and the checkpoints they lead to) is paid per transaction, not per
/// row. So saga messages of different CIDs write one after another on one shared connection, inside one transaction,
/// each in a savepoint of its own (a message that fails rolls back its own writes only); the transaction commits when
/// the member that just wrote sees nobody waiting to write, or the group holds <see cref="MaxMembers"/>. A member's
/// <see cref="Member.LeaveAsync"/> returns only after that commit, so no saga message is acknowledged, answered or
/// delivered before its writes are durable. The process-wide <see cref="DatabaseWriteGate"/> is held from a group's
/// BEGIN to its COMMIT: the outbox relay and retention still write between groups.
/// </summary>
public sealed class SagaWriteGroup(OrchestratorSettings settings, DatabaseWriteGate writeGate) : IAsyncDisposable
{
    /// <summary>Members per transaction at most, so a steady stream of writers still commits regularly.</summary>
    public const int MaxMembers = 64;

    readonly SemaphoreSlim _turn = new(1, 1);
    readonly List<(TaskCompletionSource Committed, Action? AtCommit)> _written = [];
    int _waiting;
    int _savepoints;
    SqliteConnection? _connection;
    SqliteTransaction? _transaction;
    IDisposable? _gate;
    long _commits;

    /// <summary>Groups committed so far (for <c>WalCheckpointer</c>).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Waits for this member's turn to write and opens its savepoint, beginning the group's transaction if none is
    /// open.
    /// </summary>
    public async Task<Member> JoinAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            // Not cancellable: a holder that saw this waiter leaves its group open for it to commit.
            await _turn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        try
        {
            if (_transaction is null)
            {
                _gate ??= await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false);
                _connection ??= Open();
                _transaction = _connection.BeginTransaction(deferred: false);
            }

            var savepoint = "m" + ++_savepoints;
            _transaction.Save(savepoint);
            return new Member(this, _connection!, _transaction, savepoint);
        }
        catch (Exception ex)
        {
            EndTurn(ex);
            throw;
        }
    }

    SqliteConnection Open()
    {
        var connection = new SqliteConnection(settings.SqliteConnectionString);
        connection.Open();
        SqlitePragmas.Apply(connection);
        // Checkpoints run outside the write path (WalCheckpointer), not inside this connection's commits.
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA wal_autocheckpoint=0";
            command.ExecuteNonQuery();
        }

        return connection;
    }

    /// <summary>Commits the group when nobody else waits to write (or it is full), then hands the turn on.</summary>
    void EndTurn(Exception? broken = null)
    {
        try
        {
            if (broken is not null)
                Fail(broken);
            else if (Volatile.Read(ref _waiting) == 0 || _written.Count >= MaxMembers)
                Commit();
        }
        finally
        {
            _turn.Release();
        }
    }

    void Commit()
    {
        if (_transaction is null)
            return;
        try
        {
            _transaction.Commit();
        }
        catch (Exception ex)
        {
            Fail(ex);
            return;
        }

        _transaction.Dispose();
        _transaction = null;
        Interlocked.Increment(ref _commits);
        ReleaseGate();
        // Every member's hand-over first, then their release: what the group's messages emit leaves together.
        foreach (var member in _written)
        {
            try
            {
                member.AtCommit?.Invoke();
            }
            catch
            {
                // Committed all the same: the outbox relay delivers what was not handed over.
            }
        }
        foreach (var member in _written)
            member.Committed.TrySetResult();
        _written.Clear();
    }

    /// <summary>
    /// Rolls back the whole group; every member that wrote in it sees the failure (and its message is retried).
    /// </summary>
    void Fail(Exception ex)
    {
        try
        {
            _transaction?.Rollback();
        }
        catch
        {
            // The connection is dropped below either way.
        }

        _transaction?.Dispose();
        _transaction = null;
        _connection?.Dispose();
        _connection = null;
        ReleaseGate();
        foreach (var member in _written)
            member.Committed.TrySetException(
                new InvalidOperationException("The saga write group could not be committed.", ex));
        _written.Clear();
    }

    void ReleaseGate()
    {
        _gate?.Dispose();
        _gate = null;
    }

    public async ValueTask DisposeAsync()
    {
        // A member still writing at shutdown has its group rolled back under it: its message was not acknowledged.
        var turn = await _turn.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        Fail(new ObjectDisposedException(nameof(SagaWriteGroup)));
        if (turn)
            _turn.Release();
    }

    /// <summary>
    /// One saga message's turn in the group: its writes go to <see cref="Connection"/> within
    /// <see cref="Transaction"/>.
    /// </summary>
    public sealed class Member(
        SagaWriteGroup group, SqliteConnection connection, SqliteTransaction transaction, string savepoint)
    {
        bool _left;

        public SqliteConnection Connection => connection;
        public SqliteTransaction Transaction => transaction;

        /// <summary>
        /// Keeps this member's writes (and waits until the group committed them) or rolls them back, and ends its turn.
        /// <paramref name="atCommit"/> runs at the group's commit, with the other members' in commit order, before any
        /// member returns; it must not throw.
        /// </summary>
        public async Task LeaveAsync(bool keep, Action? atCommit = null)
        {
            if (_left)
                return;
            _left = true;
            TaskCompletionSource? committed = null;
            try
            {
                if (!keep)
                    transaction.Rollback(savepoint);
                transaction.Release(savepoint);
                if (keep)
                {
                    committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    group._written.Add((committed, atCommit));
                }
            }
            catch (Exception ex)
            {
                if (committed is not null)
                    group._written.RemoveAll(m => m.Committed == committed);
                group.EndTurn(ex);
                throw;
            }

            group.EndTurn();
            if (committed is not null)
                await committed.Task.ConfigureAwait(false);
        }
    }
}
