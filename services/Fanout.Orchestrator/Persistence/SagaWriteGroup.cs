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
/// BEGIN to its COMMIT: the outbox relay and retention still write between groups. Writers known to be coming (the
/// runs of one results batch, applied in process) hold a <see cref="Ticket"/> each: the group does not commit before
/// every ticket joined it or was given back, so a batch's runs commit together however their loads interleave.
/// </summary>
public sealed class SagaWriteGroup(OrchestratorSettings settings, DatabaseWriteGate writeGate) : IAsyncDisposable
{
    /// <summary>Members per transaction at most, so a steady stream of writers still commits regularly.</summary>
    public const int MaxMembers = 64;

    readonly SemaphoreSlim _turn = new(1, 1);
    readonly List<(TaskCompletionSource Committed, Action? AtCommit)> _written = [];
    int _waiting;
    int _expected;
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
    public async Task<Member> JoinAsync(CancellationToken cancellationToken, Ticket? ticket = null)
    {
        Interlocked.Increment(ref _waiting);
        // Counted as waiting before its ticket is given back, so the group never looks idle in between.
        ticket?.Arrive();
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
            else if (IsIdle || _written.Count >= MaxMembers)
                Commit();
        }
        finally
        {
            _turn.Release();
        }
    }

    bool IsIdle => Volatile.Read(ref _waiting) == 0 && Volatile.Read(ref _expected) == 0;

    /// <summary>
    /// A writer that is coming: until it joins (<see cref="JoinAsync"/>) or gives its ticket back
    /// (<see cref="Ticket.ReturnAsync"/>), the open group waits for it rather than commit.
    /// </summary>
    public Ticket Expect()
    {
        Interlocked.Increment(ref _expected);
        return new Ticket(this);
    }

    /// <summary>
    /// After the last ticket came back unused: commits the open group unless a member holds the turn or waits for it
    /// (that member commits it).
    /// </summary>
    async Task CommitIfIdleAsync()
    {
        await _turn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (IsIdle)
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
    /// A place held in the group for a writer that is coming; counted once, by <see cref="JoinAsync"/> or by
    /// <see cref="ReturnAsync"/>, whichever comes first.
    /// </summary>
    public sealed class Ticket(SagaWriteGroup group)
    {
        int _arrived;

        /// <returns>True the first time.</returns>
        internal bool Arrive() =>
            Interlocked.Exchange(ref _arrived, 1) == 0 && Interlocked.Decrement(ref group._expected) >= 0;

        /// <summary>
        /// The writer will not join (it wrote nothing, or failed before): the group need not wait for it.
        /// </summary>
        public Task ReturnAsync() =>
            Arrive() && Volatile.Read(ref group._expected) == 0 ? group.CommitIfIdleAsync() : Task.CompletedTask;
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
