using System.Diagnostics.Metrics;
using Fanout.Bus.Telemetry;
using Fanout.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Persistence;

/// <summary>
/// <c>fanout.fifo.depth</c> on the "Fanout" meter (<see cref="StoreGauge"/>), one measurement per FIFO (tag
/// <c>fanout.fifo</c>): its orders not finished yet (<c>standby</c> or <c>processing</c>).
/// </summary>
internal sealed class FifoDepthGauge : IHostedService
{
    public const string Name = "fanout.fifo.depth";

    public FifoDepthGauge(IMeterFactory meters, IServiceScopeFactory scopes, ILogger<FifoDepthGauge> logger) =>
        StoreGauge.Create(meters, Name, "{order}", "Orders of a FIFO not finished yet (standby or processing).", () =>
        {
            using var scope = scopes.CreateScope();
            return scope.ServiceProvider.GetRequiredService<OrderDbContext>().Orders.AsNoTracking()
                .Where(o => o.Status == OrderStates.Standby || o.Status == OrderStates.Processing)
                .GroupBy(o => o.Fifo)
                .Select(g => new { Fifo = g.Key, Count = g.LongCount() })
                .AsEnumerable()
                .Select(d => new Measurement<long>(d.Count, new KeyValuePair<string, object?>("fanout.fifo", d.Fifo)))
                .ToList();
        }, logger);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
