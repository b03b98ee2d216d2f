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

    /// <summary>
    /// Every CID's lock, taken in one order (ordinal) so two holders of several never wait for each other in a circle.
    /// </summary>
    public async Task<IDisposable> EnterAllAsync(IEnumerable<string> cids, CancellationToken cancellationToken)
    {
        var held = new List<IDisposable>();
        try
        {
            foreach (var cid in cids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                held.Add(await EnterAsync(cid, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            Release(held);
            throw;
        }

        return new AllHeld(held);
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

    static void Release(List<IDisposable> held)
    {
        for (var i = held.Count - 1; i >= 0; i--)
            held[i].Dispose();
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

    sealed class AllHeld(List<IDisposable> held) : IDisposable
    {
        public void Dispose() => Release(held);
    }
}
