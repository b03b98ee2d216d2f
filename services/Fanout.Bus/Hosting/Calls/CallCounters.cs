using System.Collections.Concurrent;
using Fanout.Contracts;

namespace Fanout.Bus.Hosting.Calls;

/// <summary>
/// This process's calls of each service it hosts, for its announcements: handlers running now, and calls finished in
/// the last minute (one-second buckets) and since start.
/// </summary>
public sealed class CallCounters(TimeProvider time)
{
    readonly ConcurrentDictionary<string, ServiceCalls> _services = new(StringComparer.Ordinal);

    public ServiceCalls For(string service) => _services.GetOrAdd(service, _ => new ServiceCalls(time));

    /// <summary>The counts of <paramref name="services"/> now; a service not called yet counts zeros.</summary>
    public IReadOnlyDictionary<string, ServiceCallCounts> Snapshot(IEnumerable<string> services) =>
        services.Distinct(StringComparer.Ordinal).ToDictionary(s => s, s => For(s).Snapshot(), StringComparer.Ordinal);
}

/// <summary>The calls of one service in this process.</summary>
public sealed class ServiceCalls(TimeProvider time)
{
    const int WindowSeconds = 60;

    readonly Lock _lock = new();
    readonly long[] _second = new long[WindowSeconds];
    readonly long[] _calls = new long[WindowSeconds];
    readonly long[] _failures = new long[WindowSeconds];
    int _inFlight;
    long _callsTotal;
    long _failuresTotal;

    public void Started() => Interlocked.Increment(ref _inFlight);

    public void Stopped() => Interlocked.Decrement(ref _inFlight);

    /// <summary>A call ended: after its last attempt, or handed off (deferred) by its handler.</summary>
    public void Finished(bool ok)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var slot = (int)(now % WindowSeconds);
        lock (_lock)
        {
            if (_second[slot] != now)
                (_second[slot], _calls[slot], _failures[slot]) = (now, 0, 0);
            _calls[slot]++;
            _callsTotal++;
            if (ok)
                return;
            _failures[slot]++;
            _failuresTotal++;
        }
    }

    public ServiceCallCounts Snapshot()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        long calls = 0, failures = 0;
        lock (_lock)
        {
            for (var i = 0; i < WindowSeconds; i++)
                if (now - _second[i] < WindowSeconds)
                    (calls, failures) = (calls + _calls[i], failures + _failures[i]);
            return new ServiceCallCounts
            {
                InFlight = Math.Max(0, Volatile.Read(ref _inFlight)), CallsLastMinute = calls,
                FailuresLastMinute = failures, CallsTotal = _callsTotal, FailuresTotal = _failuresTotal,
            };
        }
    }
}
