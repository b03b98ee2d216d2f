using Fanout.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fanout.Fifo.Persistence;

/// <summary>
/// Brings the order schema up to date before the bus starts (registered ahead of MassTransit's hosted service), one
/// process at a time (<see cref="SchemaMigrations"/>): processes that start together on one database apply each
/// migration once.
/// </summary>
internal sealed class OrderDatabaseInitializer(IServiceScopeFactory scopes) : IHostedService
{
    /// <summary>
    /// The order store's PostgreSQL advisory lock for migrating (the orchestrator's store has its own).
    /// </summary>
    const long MigrationLockKey = 0x46414E4F55540002;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        await SchemaMigrations.ApplyPendingAsync(db, MigrationLockKey, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
