using Fanout.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Fifo.Persistence;

/// <summary>
/// Brings the order schema up to date before the bus starts (registered ahead of MassTransit's hosted service), one
/// process at a time (<see cref="SchemaMigrations"/>): processes that start together on one database apply each migration once.
/// </summary>
internal sealed class OrderDatabaseInitializer(IServiceScopeFactory scopes, ILogger<OrderDatabaseInitializer> logger) : IHostedService
{
    /// <summary>The order store's PostgreSQL advisory lock for migrating (the orchestrator's store has its own).</summary>
    const long MigrationLockKey = 0x46414E4F55540002;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        if (db.Database.IsSqlite())
            await BaselineSqliteFileAsync(db, cancellationToken).ConfigureAwait(false);
        await SchemaMigrations.ApplyPendingAsync(db, MigrationLockKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Order files made before the schema had migrations (by EnsureCreated) hold the initial migration's tables but no
    /// history: record that migration as applied, so migrating keeps their orders instead of failing on "orders already
    /// exists". PostgreSQL stores always had migrations. The write transaction (BEGIN IMMEDIATE) makes two processes
    /// starting on one such file do it once.
    /// </summary>
    async Task BaselineSqliteFileAsync(OrderDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (!await SqliteTableExistsAsync(db, "orders", cancellationToken)
                || await SqliteTableExistsAsync(db, HistoryRepository.DefaultTableName, cancellationToken))
                return;

            var history = db.GetService<IHistoryRepository>();
            var initial = db.Database.GetMigrations().First();
            await db.Database.ExecuteSqlRawAsync(history.GetCreateScript(), cancellationToken).ConfigureAwait(false);
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(initial, ProductInfo.GetVersion())), cancellationToken)
                .ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Order store made before migrations: recorded {Migration} as applied", initial);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    static async Task<bool> SqliteTableExistsAsync(OrderDbContext db, string table, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<long>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {table}")
            .SingleAsync(cancellationToken).ConfigureAwait(false) > 0;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
