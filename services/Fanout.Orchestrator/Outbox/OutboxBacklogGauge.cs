using System.Diagnostics.Metrics;
using Fanout.Bus.Telemetry;
using Fanout.Orchestrator.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// <c>fanout.outbox.backlog</c> on the "Fanout" meter (<see cref="StoreGauge"/>): outbox rows committed and not yet
/// deleted (in delivery, delivered and waiting for the relay's bulk delete, or stranded). A few seconds' worth is
/// normal; a growing backlog means messages are not leaving.
/// </summary>
public sealed class OutboxBacklogGauge : IHostedService
{
    public const string Name = "fanout.outbox.backlog";

    public OutboxBacklogGauge(IMeterFactory meters, IServiceScopeFactory scopes, ILogger<OutboxBacklogGauge> logger) =>
        StoreGauge.Create(meters, Name, "{message}",
            "Outbox rows committed and not yet deleted (in delivery, delivered and not yet deleted, or stranded).",
            () =>
            {
                using var scope = scopes.CreateScope();
                return
                [
                    new Measurement<long>(
                        scope.ServiceProvider.GetRequiredService<FanoutDbContext>().Set<OutboxMessage>().LongCount())
                ];
            }, logger);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
