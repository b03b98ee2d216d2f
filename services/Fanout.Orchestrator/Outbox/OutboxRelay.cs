using Fanout.Orchestrator.Hosting;
using Fanout.Orchestrator.Persistence;
using Fanout.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Deletes delivered outbox rows in bulk, and delivers rows nobody delivered: those left by a process that
/// stopped between commit and delivery, and those whose delivery failed (through <see cref="OutboxDispatcher"/>, so
/// they are coalesced as committed rows are).
/// </summary>
public sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    IBusControl busControl,
    OutboxDispatcher dispatcher,
    DeliveredOutboxMessages delivered,
    DatabaseWriteGate writeGate,
    JobLeases leases,
    OrchestratorSettings settings,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);
    const int BatchSize = 1000;

    readonly DateTime _startedAtUtc = time.GetUtcNow().UtcDateTime;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Anything sent before the receive endpoints exist can be lost (in memory, or unbound on RabbitMQ).
        await busControl.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeleteDeliveredAsync(stoppingToken).ConfigureAwait(false);
                // Each process deletes what it delivered; one of several orchestrators on a database rescues the rest.
                if (await leases.HoldAsync("outbox-relay", stoppingToken).ConfigureAwait(false))
                    await DeliverStrandedAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox relay pass failed; retrying in {Interval}", Interval);
            }

            await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass: delete what was delivered. Public so tests and shutdown can flush.</summary>
    public async Task DeleteDeliveredAsync(CancellationToken cancellationToken)
    {
        var ids = delivered.Snapshot();
        foreach (var chunk in ids.Chunk(BatchSize))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
            using (await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false))
                await db.Set<OutboxMessage>().Where(m => chunk.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken)
                    .ConfigureAwait(false);
            delivered.Forget(chunk);
        }
    }

    /// <summary>
    /// One pass: deliver rows older than this process, or older than <see cref="StaleAfter"/>. On PostgreSQL other
    /// orchestrators share the table, and rows older than this process may be theirs, delivered a moment ago and not
    /// deleted yet: only <see cref="StaleAfter"/> counts there.
    /// </summary>
    public async Task<int> DeliverStrandedAsync(CancellationToken cancellationToken)
    {
        var staleBefore = time.GetUtcNow().UtcDateTime - StaleAfter;
        var cutoff = staleBefore > _startedAtUtc || settings.Provider == DatabaseProvider.PostgreSql
            ? staleBefore
            : _startedAtUtc;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
        var rows = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.CreatedAtUtc < cutoff)
            .OrderBy(m => m.CreatedAtUtc)
            .Take(BatchSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        rows.RemoveAll(r => delivered.Contains(r.Id));
        if (rows.Count == 0)
            return 0;

        logger.LogInformation("Outbox relay delivering {Count} stranded messages", rows.Count);
        // Through the dispatcher: coalesced like committed rows, and after any delivery in flight.
        await dispatcher.DeliverAsync(rows).WaitAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }
}
