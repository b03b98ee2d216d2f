using System.Diagnostics.Metrics;
using Fanout.Bus.Telemetry;
using Fanout.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Persistence;

/// <summary>
/// <c>fanout.fifo.depth</c> on the "Fanout" meter, one measurement per FIFO (tag <c>fanout.fifo</c>): its orders not
/// finished yet (<c>standby</c> or <c>processing</c>). The store is read only when a listener collects (OTLP's export
/// interval), never otherwise.
/// </summary>
internal sealed class FifoDepthGauge : IHostedService
{
    public const string Name = "fanout.fifo.depth";

    readonly IServiceScopeFactory _scopes;
    readonly ILogger<FifoDepthGauge> _logger;

    public FifoDepthGauge(IMeterFactory meters, IServiceScopeFactory scopes, ILogger<FifoDepthGauge> logger)
    {
        _scopes = scopes;
        _logger = logger;
        // A meter of this host's container: disposed with it, so test hosts in one process do not pile up gauges.
        meters.Create(FanoutMetrics.MeterName).CreateObservableGauge(Name, Observe, "{order}",
            "Orders of a FIFO not finished yet (standby or processing).");
    }

    IEnumerable<Measurement<long>> Observe()
    {
        try
        {
            using var scope = _scopes.CreateScope();
            var depths = scope.ServiceProvider.GetRequiredService<OrderDbContext>().Orders.AsNoTracking()
                .Where(o => o.Status == OrderStates.Standby || o.Status == OrderStates.Processing)
                .GroupBy(o => o.Fifo)
                .Select(g => new { Fifo = g.Key, Count = g.LongCount() })
                .ToList();
            return depths.Select(d => new Measurement<long>(d.Count, new KeyValuePair<string, object?>("fanout.fifo", d.Fifo))).ToList();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not read the FIFO depths for {Gauge}", Name);
            return [];
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
