namespace Fanout.Orchestrator.StateMachines;

/// <summary>
/// One lock per CID in this process: the saga's messages of one run never run at once, whether they came through the
/// saga's queue (<see cref="RunLockFilter{T}"/>) or are results applied in process (<c>ResultsFanIn</c>). Exact per
/// CID, so runs that merely hash alike never wait for each other; an entry lives only while someone holds or waits
/// for it.
/// </summary>
public sealed class RunLocks
{
    readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IDisposable> EnterAsync(string cid, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(cid, out entry!))
                _entries[cid] = entry = new Entry();
            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(cid, entry, held: false);
            throw;
        }

        return new Held(this, cid, entry);
    }

    /// <summary>The CID's lock if nobody holds or waits for it, else null at once.</summary>
    public IDisposable? TryEnter(string cid)
    {
        lock (_entries)
        {
            if (_entries.ContainsKey(cid))
                return null;
            var entry = new Entry { Users = 1 };
            entry.Semaphore.Wait(0);
            _entries[cid] = entry;
            return new Held(this, cid, entry);
        }
    }

    /// <summary>CIDs locked or waited for right now (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_entries)
                return _entries.Count;
        }
    }

    void Leave(string cid, Entry entry, bool held)
    {
        lock (_entries)
        {
            if (held)
                entry.Semaphore.Release();
            if (--entry.Users == 0)
                _entries.Remove(cid);
        }
    }

    sealed class Entry
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Users;
    }

    sealed class Held(RunLocks locks, string cid, Entry entry) : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                locks.Leave(cid, entry, held: true);
        }
    }
}
