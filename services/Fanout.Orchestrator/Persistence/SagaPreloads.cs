using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// On SQLite, the sagas of a batch's runs read in one query (<c>WHERE CorrelationId IN (...)</c>) before the runs go
/// through the saga in process one by one (<c>ResultsFanIn</c>, <c>RunIntake</c>), instead of one load per run. Read
/// only for runs whose lock the caller holds, so nothing in this process writes them in between; the saga's
/// <see cref="FanoutSaga.Version"/> check still guards the save, and a retried message loads afresh. On PostgreSQL
/// nothing is preloaded: each saga message loads its row under a row lock of its own (<c>OwnSagaWriteTransaction</c>).
/// </summary>
public sealed class SagaPreloads(IServiceScopeFactory scopes, IServiceProvider provider, ILogger<SagaPreloads> logger)
{
    readonly bool _enabled = provider.GetService<SagaWriteGroup>() is not null;

    /// <summary>
    /// One entry per given id: the stored saga, or none stored. Empty when nothing is preloaded (PostgreSQL, fewer
    /// than two runs, or the read failed: each run then loads its own).
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, PreloadedSaga>> LoadAsync(IReadOnlyCollection<Guid> ids,
        CancellationToken cancellationToken)
    {
        if (!_enabled || ids.Count < 2)
            return Empty;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
            var stored = await db.Fanouts.AsNoTracking().Where(f => ids.Contains(f.CorrelationId))
                .ToDictionaryAsync(f => f.CorrelationId, cancellationToken).ConfigureAwait(false);
            return ids.Distinct().ToDictionary(id => id, id => new PreloadedSaga(id, stored.GetValueOrDefault(id)));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Preloading {Count} sagas failed; each loads its own", ids.Count);
            return Empty;
        }
    }

    static readonly IReadOnlyDictionary<Guid, PreloadedSaga> Empty = new Dictionary<Guid, PreloadedSaga>();
}

/// <summary>
/// One run's saga as preloaded (or known not stored), handed to the saga's repository with the run's message; used by
/// its first load only, so a retry reads the store again.
/// </summary>
public sealed class PreloadedSaga(Guid correlationId, FanoutSaga? saga)
{
    int _taken;

    /// <summary>Hands this to the saga's repository with the message sent to the mediator.</summary>
    public void Attach(SendContext send) => send.GetOrAddPayload(() => this);

    /// <summary>True, once, for the saga it was read for: <paramref name="stored"/> is it, or null when none is
    /// stored.</summary>
    public bool TryTake(Guid id, out FanoutSaga? stored)
    {
        stored = saga;
        return id == correlationId && Interlocked.Exchange(ref _taken, 1) == 0;
    }
}
