using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Orchestrator.LiveServices;

/// <summary>
/// The services that live processes host, kept in the store so every orchestrator and gateway agrees. An instance is
/// forgotten after <see cref="MissedAnnouncements"/> announcements did not come (or at once when it said goodbye).
/// </summary>
public sealed class ServiceDirectory(IServiceScopeFactory scopes, DatabaseWriteGate writeGate, TimeProvider time)
{
    public const int MissedAnnouncements = 3;

    /// <summary>How long a run's check may reuse the names read before: a name not among them is read again.</summary>
    static readonly TimeSpan NamesFresh = TimeSpan.FromSeconds(2);

    readonly Lock _lock = new();
    (HashSet<string> Names, DateTimeOffset ReadAt)? _names;

    public async Task RecordAsync(ServicesAnnounced announced, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
        using var _ = await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false);
        // One transaction: a reader never sees the instance gone between its old rows and its new ones.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<ServiceInstance>().Where(s => s.ExpiresAtUtc < now || s.InstanceId == announced.InstanceId)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (announced.IntervalMs <= 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var expires = now + TimeSpan.FromMilliseconds(announced.IntervalMs) * MissedAnnouncements;
        db.Set<ServiceInstance>().AddRange(announced.Services.Distinct().Select(service =>
        {
            var calls = announced.Calls?.GetValueOrDefault(service);
            return new ServiceInstance
            {
                Service = service, InstanceId = announced.InstanceId, Host = announced.Host,
                ProcessId = announced.ProcessId, Version = announced.Version, Concurrency = announced.Concurrency,
                StartedAtUtc = announced.StartedAtUtc.ToUniversalTime(), LastSeenUtc = now, ExpiresAtUtc = expires,
                InFlight = calls?.InFlight, CallsLastMinute = calls?.CallsLastMinute,
                FailuresLastMinute = calls?.FailuresLastMinute, CallsTotal = calls?.CallsTotal,
                FailuresTotal = calls?.FailuresTotal,
            };
        }));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every live instance, by service name.</summary>
    public async Task<ServiceList> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
        var rows = await db.Set<ServiceInstance>().AsNoTracking().Where(s => s.ExpiresAtUtc > now)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new ServiceList
        {
            Services = rows.GroupBy(r => r.Service).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new LiveService
                {
                    Service = g.Key,
                    Instances = g.OrderBy(r => r.Host).ThenBy(r => r.ProcessId).Select(r => new ServiceInstanceInfo
                    {
                        Host = r.Host, ProcessId = r.ProcessId, Version = r.Version, Concurrency = r.Concurrency,
                        StartedAtUtc = r.StartedAtUtc, LastSeenUtc = r.LastSeenUtc, Calls = CallsOf(r),
                    }).ToList(),
                }).ToList(),
        };
    }

    static ServiceCallCounts? CallsOf(ServiceInstance row) => row.InFlight is not { } inFlight
        ? null
        : new ServiceCallCounts
        {
            InFlight = inFlight, CallsLastMinute = row.CallsLastMinute ?? 0,
            FailuresLastMinute = row.FailuresLastMinute ?? 0, CallsTotal = row.CallsTotal ?? 0,
            FailuresTotal = row.FailuresTotal ?? 0,
        };

    /// <summary>The names among <paramref name="services"/> that no live instance serves, in the order given.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(IEnumerable<string> services,
        CancellationToken cancellationToken)
    {
        var wanted = services.Distinct(StringComparer.Ordinal).ToList();
        var known = await NamesAsync(fresh: false, cancellationToken).ConfigureAwait(false);
        if (wanted.All(known.Contains))
            return [];
        known = await NamesAsync(fresh: true, cancellationToken).ConfigureAwait(false);
        return wanted.Where(s => !known.Contains(s)).ToList();
    }

    async Task<HashSet<string>> NamesAsync(bool fresh, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
            if (!fresh && _names is { } cached && now - cached.ReadAt < NamesFresh)
                return cached.Names;
        var list = await ListAsync(cancellationToken).ConfigureAwait(false);
        var names = list.Services.Select(s => s.Service).ToHashSet(StringComparer.Ordinal);
        lock (_lock)
            _names = (names, now);
        return names;
    }
}
