using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Bus.Resilience;

/// <summary>
/// Remembers since when each receive endpoint has not been consuming, and decides from that which endpoints to restart
/// and whether the process is stuck. Pure bookkeeping (time comes in), so the rules are tested without a broker.
/// </summary>
public sealed class EndpointWatch(ReconnectSettings settings)
{
    readonly Lock _lock = new();
    readonly Dictionary<string, DateTime> _downSince = new(StringComparer.Ordinal);
    readonly Dictionary<string, DateTime> _lastRestart = new(StringComparer.Ordinal);
    int _upCount;

    /// <summary>
    /// Records one look at the endpoints (address, consuming or not); returns those due for a restart.
    /// </summary>
    public IReadOnlyList<string> Observe(DateTime nowUtc, IEnumerable<(string Address, bool Consuming)> endpoints)
    {
        var due = new List<string>();
        lock (_lock)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            _upCount = 0;
            foreach (var (address, consuming) in endpoints)
            {
                seen.Add(address);
                if (consuming)
                {
                    _upCount++;
                    _downSince.Remove(address);
                    _lastRestart.Remove(address);
                    continue;
                }

                var since = _downSince.TryAdd(address, nowUtc) ? nowUtc : _downSince[address];
                var waitingSince = _lastRestart.TryGetValue(address, out var restarted) && restarted > since
                    ? restarted
                    : since;
                if (nowUtc - waitingSince >= settings.Interval)
                {
                    _lastRestart[address] = nowUtc;
                    due.Add(address);
                }
            }

            foreach (var gone in _downSince.Keys.Where(a => !seen.Contains(a)).ToList())
            {
                _downSince.Remove(gone);
                _lastRestart.Remove(gone);
            }
        }

        return due;
    }

    /// <summary>
    /// Unhealthy when an endpoint has been down for <see cref="ReconnectSettings.StuckAfter"/> while another one
    /// consumes: the broker is reachable, restarts did not help, and only restarting the process will. All down is a
    /// broker outage: the process is alive and waits (its readiness says it is not consuming).
    /// </summary>
    public HealthCheckResult Liveness(DateTime nowUtc)
    {
        lock (_lock)
        {
            if (StuckLocked(nowUtc) is [_, ..] stuck)
                return HealthCheckResult.Unhealthy(
                    $"not consuming for over {settings.StuckAfter.TotalSeconds:0} s while the broker is reachable: " +
                    $"{string.Join(", ", stuck)}");
            return _downSince.Count == 0
                ? HealthCheckResult.Healthy("every endpoint consuming")
                : HealthCheckResult.Healthy($"{_downSince.Count} endpoint(s) reconnecting");
        }
    }

    /// <summary>The endpoints that make the process stuck (see <see cref="Liveness"/>); empty if it is not.</summary>
    public IReadOnlyList<string> Stuck(DateTime nowUtc)
    {
        lock (_lock)
            return StuckLocked(nowUtc);
    }

    List<string> StuckLocked(DateTime nowUtc) => _upCount == 0
        ? []
        : _downSince.Where(d => nowUtc - d.Value >= settings.StuckAfter).Select(d => d.Key).Order().ToList();
}
