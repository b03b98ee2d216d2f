using Fanout.Orchestrator.Persistence;
using Fanout.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Hosting;

/// <summary>
/// Purges runs that ended longer ago than the retention period (default 7 days), with their target rows.
/// </summary>
public sealed class RetentionService(
    IServiceScopeFactory scopes, DatabaseWriteGate writeGate, OrchestratorSettings settings, JobLeases leases,
    TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await leases.HoldAsync("retention", stoppingToken).ConfigureAwait(false))
                    await PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Retention purge failed; retrying in {Interval}", Interval);
            }

            await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Purges the runs that ended more than the retention period before now.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) =>
        PurgeAsync(time.GetUtcNow().UtcDateTime - settings.Retention, cancellationToken);

    public async Task<int> PurgeAsync(DateTime endedBefore, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
        using (await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction =
                await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var ended = db.Fanouts.Where(f => f.CompletedAtUtc != null && f.CompletedAtUtc < endedBefore);
            await db.TargetResults.Where(r => ended.Any(f => f.CorrelationId == r.CorrelationId))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            var purged = await ended.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (purged > 0)
                logger.LogInformation("Purged {Count} runs that ended before {Cutoff:O}", purged, endedBefore);
            return purged;
        }
    }
}
