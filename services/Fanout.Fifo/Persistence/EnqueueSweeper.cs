using Fanout.Bus;
using Fanout.Bus.Resilience;
using Fanout.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Persistence;

/// <summary>Hands to their queue the standby orders a crash left stored but not enqueued.</summary>
internal sealed class EnqueueSweeper(IServiceScopeFactory scopes, IBusControl bus, QueueAddresses addresses, BoundedPublish bounded, ILogger<EnqueueSweeper> logger)
    : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
                var cutoff = DateTime.UtcNow - Interval;
                var stranded = await db.Orders.Where(o => !o.Enqueued && o.Status == OrderStates.Standby && o.SubmittedAtUtc < cutoff)
                    .OrderBy(o => o.Sequence).Take(100).ToListAsync(stoppingToken);
                foreach (var order in stranded)
                {
                    var fifo = await bus.GetSendEndpoint(FifoQueues.Address(addresses, order.Fifo));
                    await bounded.RunAsync(token => fifo.Send(new ProcessOrder { OrderId = order.OrderId, Fifo = order.Fifo }, token), stoppingToken);
                    order.Enqueued = true;
                    logger.LogWarning("Order {OrderId} was stored but not queued; queued it now", order.OrderId);
                }

                await db.SaveChangesAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Enqueue sweep failed; retrying");
            }

            await Task.Delay(Interval, stoppingToken);
        }
    }
}
