using System.Security.Cryptography;
using System.Text;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Security;
using Fanout.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fanout.Orchestrator.Hosting;

/// <summary>
/// Migrates the schema and loads the completion-token key before the bus starts consuming (registered ahead of
/// MassTransit's hosted service). Migrations are EF Core's (Persistence/Migrations, one set per provider), applied by
/// one process at a time (<see cref="SchemaMigrations"/>), so orchestrators starting at once on one PostgreSQL database
/// apply each migration once.
/// The key comes from configuration, else from the database, else is generated there, so tokens stay valid across
/// restarts without a secret in code.
/// </summary>
internal sealed class DatabaseInitializer(
    IServiceScopeFactory scopes, OrchestratorSettings settings, CompletionTokenKey key) : IHostedService
{
    const string TokenKeyName = "completion-token-key";

    /// <summary>
    /// The orchestrator store's PostgreSQL advisory lock for migrating (any fixed number; the order store has its own).
    /// </summary>
    const long MigrationLockKey = 0x46414E4F55540001;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
        await SchemaMigrations.ApplyPendingAsync(db, MigrationLockKey, cancellationToken).ConfigureAwait(false);

        if (!string.IsNullOrEmpty(settings.CompletionSecret))
        {
            key.Set(Encoding.UTF8.GetBytes(settings.CompletionSecret));
            return;
        }

        key.Set(Convert.FromBase64String(await StoredKeyAsync(db, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>The stored key, generating it when there is none; of orchestrators starting at once, the first insert
    /// wins and the others read it (ON CONFLICT DO NOTHING: SQLite and PostgreSQL both take it).</summary>
    static async Task<string> StoredKeyAsync(FanoutDbContext db, CancellationToken cancellationToken)
    {
        var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO secrets (\"Name\", \"Value\") VALUES ({TokenKeyName}, {generated}) ON CONFLICT DO NOTHING",
            cancellationToken).ConfigureAwait(false);
        return await db.Secrets.AsNoTracking().Where(s => s.Name == TokenKeyName).Select(s => s.Value)
            .SingleAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
