using Fanout.Bus;
using Fanout.Bus.Resilience;
using Fanout.Contracts;
using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Hosting;

/// <summary>
/// Deadlines live on the saga row (RabbitMQ 3.10 here has no delayed-message plugin), so they survive restarts:
/// this loop finds running runs whose deadline passed and sends each a <see cref="FanoutDeadlineReached"/>. The saga
/// acts on it only while running, so a repeat can never end a run twice.
/// </summary>
public sealed class DeadlineSweeper(
    IServiceScopeFactory scopes, IBus bus, IBusControl busControl, OrchestratorSettings settings,
    QueueAddresses addresses, BoundedPublish bounded, JobLeases leases, TimeProvider time,
    ILogger<DeadlineSweeper> logger)
    : BackgroundService
{
    static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(10);
    readonly Dictionary<string, DateTime> _sent = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Anything sent before the receive endpoints exist can be lost (in memory, or unbound on RabbitMQ).
        await busControl.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // With several orchestrators on one database, one of them sweeps.
                if (await leases.HoldAsync("deadline-sweeper", stoppingToken).ConfigureAwait(false))
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Deadline sweep failed; retrying");
            }

            await Task.Delay(settings.SweepInterval, stoppingToken).ConfigureAwait(false);
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
        var due = await db.Fanouts.AsNoTracking()
            .Where(f => f.CurrentState == RunStates.Running && f.DeadlineUtc <= now)
            .OrderBy(f => f.DeadlineUtc)
            .Select(f => f.Cid)
            .Take(500)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        foreach (var stale in _sent.Where(s => !due.Contains(s.Key) || now - s.Value > ResendAfter)
                     .Select(s => s.Key).ToList())
            _sent.Remove(stale);
        var toSend = due.Where(cid => !_sent.ContainsKey(cid)).ToList();
        if (toSend.Count == 0)
            return 0;

        var saga = await bus.GetSendEndpoint(addresses.For(OrchestratorQueues.Saga)).ConfigureAwait(false);
        foreach (var cid in toSend)
        {
            await bounded.RunAsync(token => saga.Send(new FanoutDeadlineReached { Cid = cid }, token),
                cancellationToken).ConfigureAwait(false);
            _sent[cid] = now;
        }

        logger.LogInformation("Deadline passed for {Count} runs", toSend.Count);
        return toSend.Count;
    }
}
