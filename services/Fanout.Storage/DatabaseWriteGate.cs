namespace Fanout.Storage;

/// <summary>
/// SQLite has one writer per file. Queuing writers on an async lock in-process is far cheaper than letting
/// SQLite's busy handler sleep and poll; on a server database (PostgreSQL) the gate is open.
/// </summary>
public sealed class DatabaseWriteGate(bool serialize)
{
    readonly SemaphoreSlim _lock = new(1, 1);

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!serialize)
            return Released.Instance;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_lock);
    }

    sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                semaphore.Release();
        }
    }

    sealed class Released : IDisposable
    {
        public static readonly Released Instance = new();
        public void Dispose() { }
    }
}
