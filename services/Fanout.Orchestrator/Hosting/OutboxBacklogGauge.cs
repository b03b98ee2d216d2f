using System.Diagnostics.Metrics;
using Fanout.Bus.Telemetry;
using Fanout.Orchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Hosting;

/// <summary>
/// <c>fanout.outbox.backlog</c> on the "Fanout" meter: outbox rows committed and not yet deleted (in delivery, delivered
/// and waiting for the relay's bulk delete, or stranded). A few seconds' worth is normal; a growing backlog means
/// messages are not leaving. The store is read only when a listener collects (OTLP's export interval), never otherwise.
/// </summary>
public sealed class OutboxBacklogGauge : IHostedService
{
    public const string Name = "fanout.outbox.backlog";

    readonly IServiceScopeFactory _scopes;
    readonly ILogger<OutboxBacklogGauge> _logger;

    public OutboxBacklogGauge(IMeterFactory meters, IServiceScopeFactory scopes, ILogger<OutboxBacklogGauge> logger)
    {
        _scopes = scopes;
        _logger = logger;
        // A meter of this host's container: disposed with it, so test hosts in one process do not pile up gauges.
        meters.Create(FanoutMetrics.MeterName).CreateObservableGauge(Name, Observe, "{message}",
            "Outbox rows committed and not yet deleted (in delivery, delivered and not yet deleted, or stranded).");
    }

    IEnumerable<Measurement<long>> Observe()
    {
        try
        {
            using var scope = _scopes.CreateScope();
            return [new Measurement<long>(scope.ServiceProvider.GetRequiredService<FanoutDbContext>().OutboxMessages.LongCount())];
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not read the outbox backlog for {Gauge}", Name);
            return [];
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
