using System.Security.Cryptography;
using System.Text;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fanout.Orchestrator.Hosting;

/// <summary>
/// Creates the schema and loads the completion-token key before the bus starts consuming (registered ahead of
/// MassTransit's hosted service). The key comes from configuration, else from the database, else is generated
/// there, so tokens stay valid across restarts without a secret in code.
/// </summary>
internal sealed class DatabaseInitializer(IServiceScopeFactory scopes, OrchestratorSettings settings, CompletionTokenKey key) : IHostedService
{
    const string TokenKeyName = "completion-token-key";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
        await db.Database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await SchemaUpgrade.ApplyAsync(db, cancellationToken).ConfigureAwait(false);

        if (!string.IsNullOrEmpty(settings.CompletionSecret))
        {
            key.Set(Encoding.UTF8.GetBytes(settings.CompletionSecret));
            return;
        }

        var stored = await db.Secrets.FindAsync([TokenKeyName], cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            stored = new StoredSecret { Name = TokenKeyName, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
            db.Secrets.Add(stored);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        key.Set(Convert.FromBase64String(stored.Value));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
