using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Queries;

/// <summary>
/// Throughput and latency over the last minutes: runs started and finished per minute, targets finished and failed
/// per minute, run duration percentiles and the target failure rate. Targets are read only for runs still running or
/// finished inside the window, so the large target table is entered by run, through its existing index.
/// </summary>
public static class RunOverviews
{
    public const int MaxMinutes = 24 * 60;

    public static async Task<FanoutOverview> ReadAsync(FanoutDbContext db, int minutes, DateTime nowUtc,
        CancellationToken cancellationToken)
    {
        minutes = Math.Clamp(minutes, 1, MaxMinutes);
        var currentMinute = new DateTime(nowUtc.Ticks - nowUtc.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        var from = currentMinute.AddMinutes(-(minutes - 1));

        var started = await db.Fanouts.AsNoTracking().Where(f => f.RequestedAtUtc >= from)
            .Select(f => f.RequestedAtUtc).ToListAsync(cancellationToken).ConfigureAwait(false);
        var finished = await db.Fanouts.AsNoTracking().Where(f => f.CompletedAtUtc >= from)
            .Select(f => new { f.RequestedAtUtc, CompletedAtUtc = f.CompletedAtUtc!.Value })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var targets = await db.TargetResults.AsNoTracking()
            .Where(t => db.Fanouts.Any(f => f.CorrelationId == t.CorrelationId
                                           && (f.CompletedAtUtc == null || f.CompletedAtUtc >= from)))
            .Where(t => t.Finished && t.RespondedAtUtc >= from)
            .Select(t => new { RespondedAtUtc = t.RespondedAtUtc!.Value, t.Ok })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var perMinute = new OverviewCounter[minutes];
        int Slot(DateTime at) => (int)((at - from).Ticks / TimeSpan.TicksPerMinute);
        bool Inside(int slot) => slot >= 0 && slot < minutes;
        foreach (var at in started)
            if (Slot(at) is var s && Inside(s)) perMinute[s].Started++;
        foreach (var run in finished)
            if (Slot(run.CompletedAtUtc) is var s && Inside(s)) perMinute[s].Finished++;
        foreach (var target in targets)
            if (Slot(target.RespondedAtUtc) is var s && Inside(s))
            {
                perMinute[s].Targets++;
                if (!target.Ok) perMinute[s].Failed++;
            }

        var durations = finished.Select(r => (r.CompletedAtUtc - r.RequestedAtUtc).TotalMilliseconds).Order().ToList();
        var targetCount = perMinute.Sum(m => m.Targets);
        return new FanoutOverview
        {
            Minutes = minutes,
            PerMinute = perMinute.Select((m, i) => new OverviewMinute
            {
                MinuteUtc = from.AddMinutes(i), Started = m.Started, Finished = m.Finished,
                Targets = m.Targets, FailedTargets = m.Failed,
            }).ToList(),
            DurationMs = new DurationPercentiles
            {
                P50 = Percentile(durations, 0.50), P95 = Percentile(durations, 0.95),
            },
            FailureRate = targetCount == 0 ? null : (double)perMinute.Sum(m => m.Failed) / targetCount,
        };
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    struct OverviewCounter
    {
        public int Started, Finished, Targets, Failed;
    }
}
