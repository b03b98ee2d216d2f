namespace Fanout.Gateway.Live;

/// <summary>
/// The last <see cref="Capacity"/> events in a ring, numbered as they arrive, for streams to read from and resume in
/// (Last-Event-ID). One writer (the bus subscription), any number of readers; each reader keeps its own position, so a
/// slow stream holds nothing up and costs nothing but its own reads.
/// </summary>
public sealed class EventLog
{
    readonly LiveEvent?[] _ring;
    readonly Lock _lock = new();
    long _first = 1;
    long _last;
    TaskCompletionSource _next = NewSignal();

    public EventLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new LiveEvent?[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>The id of the newest event; 0 before the first.</summary>
    public long LastId
    {
        get
        {
            lock (_lock)
                return _last;
        }
    }

    /// <summary>
    /// Stores <paramref name="e"/> with the next id (dropping the oldest when full) and wakes the readers.
    /// </summary>
    public LiveEvent Append(LiveEvent e)
    {
        TaskCompletionSource woken;
        lock (_lock)
        {
            e = e with { Id = ++_last };
            _ring[_last % _ring.Length] = e;
            if (_last - _first + 1 > _ring.Length)
                _first++;
            woken = _next;
            _next = NewSignal();
        }
        woken.TrySetResult();
        return e;
    }

    /// <summary>
    /// The events after <paramref name="afterId"/> still held (from the oldest held when it was dropped already), and a
    /// task that completes when the next event arrives.
    /// </summary>
    public (IReadOnlyList<LiveEvent> Events, Task Next) After(long afterId)
    {
        lock (_lock)
        {
            var from = Math.Max(afterId + 1, _first);
            if (from > _last)
                return ([], _next.Task);
            var events = new LiveEvent[_last - from + 1];
            for (var id = from; id <= _last; id++)
                events[id - from] = _ring[id % _ring.Length]!;
            return (events, _next.Task);
        }
    }

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
