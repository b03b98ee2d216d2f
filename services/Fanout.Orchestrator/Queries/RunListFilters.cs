using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Queries;

/// <summary>
/// The filters of a run list (mode, service, CID prefix, target key) as one query, so the page and its per-state
/// counts see the same runs. State and <c>before</c> apply to the page only: the counts say what the other states
/// would show.
/// </summary>
public static class RunListFilters
{
    /// <summary>One page, newest first, with the counts when asked for.</summary>
    public static async Task<FanoutList> ReadPageAsync(FanoutDbContext db, ListFanouts message,
        CancellationToken cancellationToken)
    {
        var filtered = Apply(db, message);
        var query = filtered;
        if (message.State is { Length: > 0 } state)
        {
            var stored = RunStates.ToStored(state) ?? "none";
            query = query.Where(f => f.CurrentState == stored);
        }

        if (message.Before is { } before)
            query = query.Where(f => f.RequestedAtUtc < before);
        var limit = ListLimit.Clamp(message.Limit);
        // One more than the page tells whether a next page exists.
        var sagas = await query.OrderByDescending(f => f.RequestedAtUtc).Take(limit + 1)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var page = sagas.Take(limit).ToList();
        return new FanoutList
        {
            Items = page.Select(FanoutSummaries.From).ToList(),
            NextBefore = sagas.Count > limit ? page[^1].RequestedAtUtc : null,
            Counts = message.Counts ? await CountAsync(filtered, cancellationToken).ConfigureAwait(false) : null,
        };
    }

    public static IQueryable<FanoutSaga> Apply(FanoutDbContext db, ListFanouts filter)
    {
        var query = db.Fanouts.AsNoTracking();
        if (filter.Mode is { Length: > 0 } mode)
            query = query.Where(f => f.Mode == mode);
        if (filter.CidPrefix is { Length: > 0 } prefix)
        {
            query = query.Where(f => f.Cid.StartsWith(prefix));
            // SQLite's LIKE ignores case and so never uses the CID index; a binary range does.
            if (db.Database.IsSqlite())
            {
                var upper = prefix + char.MaxValue;
                query = query.Where(f => string.Compare(f.Cid, prefix) >= 0 && string.Compare(f.Cid, upper) < 0);
            }
        }

        if (filter.Service is { Length: > 0 } service)
            query = query.Where(f => db.TargetResults
                .Any(t => t.CorrelationId == f.CorrelationId && t.Service == service));
        if (filter.Key is { Length: > 0 } key)
            query = query.Where(f => db.TargetResults
                .Any(t => t.CorrelationId == f.CorrelationId && t.Target == key));
        return query;
    }

    /// <summary>Runs per public state (every state present, zero when none).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountAsync(IQueryable<FanoutSaga> query,
        CancellationToken cancellationToken)
    {
        var rows = await query.GroupBy(f => f.CurrentState)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = FanoutStates.All.ToDictionary(s => s, _ => 0);
        foreach (var row in rows)
            counts[RunStates.ToPublic(row.State)] = counts.GetValueOrDefault(RunStates.ToPublic(row.State)) + row.Count;
        return counts;
    }
}
