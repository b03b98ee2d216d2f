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
/// MassTransit's hosted service). Migrations are EF Core's (Persistence/Migrations, one set per provider); EF Core
/// holds a migrations lock while it applies them, so orchestrators starting at once on one PostgreSQL database apply
/// each migration once. A SQLite file from before migrations is baselined first (<see cref="SqliteBaseline"/>).
/// The key comes from configuration, else from the database, else is generated there, so tokens stay valid across
/// restarts without a secret in code.
/// </summary>
internal sealed class DatabaseInitializer(IServiceScopeFactory scopes, OrchestratorSettings settings, CompletionTokenKey key) : IHostedService
{
    const string TokenKeyName = "completion-token-key";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
        if (settings.Provider == DatabaseProvider.Sqlite)
            await SqliteBaseline.ApplyAsync(db, cancellationToken).ConfigureAwait(false);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);

        if (!string.IsNullOrEmpty(settings.CompletionSecret))
        {
            key.Set(Encoding.UTF8.GetBytes(settings.CompletionSecret));
            return;
        }

        key.Set(Convert.FromBase64String(await StoredKeyAsync(db, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>The stored key, generating it when there is none; of two orchestrators starting at once, the second to
    /// insert fails on the key and reads the first one's.</summary>
    static async Task<string> StoredKeyAsync(FanoutDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Secrets.FindAsync([TokenKeyName], cancellationToken).ConfigureAwait(false) is { } stored)
            return stored.Value;
        var generated = new StoredSecret { Name = TokenKeyName, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        db.Secrets.Add(generated);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return generated.Value;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var other = await db.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Name == TokenKeyName, cancellationToken).ConfigureAwait(false);
            return other?.Value ?? throw new InvalidOperationException("The completion-token key could not be stored.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
