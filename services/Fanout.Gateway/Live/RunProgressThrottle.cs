using Fanout.Contracts;

namespace Fanout.Gateway.Live;

/// <summary>
/// At most one <c>progressed</c> event per run every <c>interval</c>: a run of 10,000 targets would otherwise send
/// thousands a second to every stream. A held event is replaced by the next one (the newest state wins) and its
/// finished targets are kept, up to <c>maxFinished</c> (the newest); <c>started</c> and end events pass at once,
/// carrying the targets held before them, so no event of a run overtakes another.
/// </summary>
public sealed class RunProgressThrottle : IDisposable
{
    readonly TimeProvider _time;
    readonly TimeSpan _interval;
    readonly int _maxFinished;
    readonly Action<FanoutStateChanged> _emit;
    readonly Dictionary<string, RunThrottle> _runs = new(StringComparer.Ordinal);
    readonly Lock _lock = new();
    readonly ITimer _timer;

    public RunProgressThrottle(TimeProvider time, TimeSpan interval, int maxFinished, Action<FanoutStateChanged> emit)
    {
        _time = time;
        _interval = interval;
        _maxFinished = maxFinished;
        _emit = emit;
        _timer = time.CreateTimer(_ => Flush(), null, interval, interval);
    }

    /// <summary>Runs being followed (held or recently sent): bounded by the runs in progress.</summary>
    public int Tracked
    {
        get
        {
            lock (_lock)
                return _runs.Count;
        }
    }

    public void Offer(FanoutStateChanged change)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _runs.TryGetValue(change.Run.Cid, out var run);
            if (change.Change == FanoutStateChanged.Progressed)
            {
                if (run?.Held is { } held)
                    run.Held = Merge(held, change);
                else if (run is null || now - run.SentAt >= _interval)
                    Send(change.Run.Cid, change, now);
                else
                    run.Held = change;
                return;
            }

            if (run?.Held is { } before)
                change = change with { Finished = Last(before.Finished.Concat(change.Finished)) };
            if (change.Run.State == FanoutStates.Running)
                Send(change.Run.Cid, change, now);
            else
            {
                _runs.Remove(change.Run.Cid);
                _emit(change);
            }
        }
    }

    /// <summary>Sends what was held long enough; forgets runs that went quiet (their end may have been lost).</summary>
    void Flush()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            List<string>? quiet = null;
            foreach (var (cid, run) in _runs)
            {
                if (now - run.SentAt < _interval)
                    continue;
                if (run.Held is { } held)
                {
                    run.Held = null;
                    run.SentAt = now;
                    _emit(held);
                }
                else if (now - run.SentAt >= 4 * _interval)
                    (quiet ??= []).Add(cid);
            }

            foreach (var cid in quiet ?? [])
                _runs.Remove(cid);
        }
    }

    void Send(string cid, FanoutStateChanged change, DateTimeOffset now)
    {
        _runs[cid] = new RunThrottle { SentAt = now };
        _emit(change);
    }

    FanoutStateChanged Merge(FanoutStateChanged held, FanoutStateChanged next) =>
        next with { Finished = Last(held.Finished.Concat(next.Finished)) };

    IReadOnlyList<FinishedTarget> Last(IEnumerable<FinishedTarget> finished)
    {
        var all = finished.ToList();
        return all.Count <= _maxFinished ? all : all[^_maxFinished..];
    }

    public void Dispose() => _timer.Dispose();

    sealed class RunThrottle
    {
        public DateTimeOffset SentAt { get; set; }
        public FanoutStateChanged? Held { get; set; }
    }
}
