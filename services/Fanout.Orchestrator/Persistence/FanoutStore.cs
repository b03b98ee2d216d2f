using Fanout.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// The one place the store's provider is chosen. SQLite (one writer per file) gets its pragmas, the serialising write
/// gate and group commit (<see cref="SagaWriteGroup"/>, checkpoints off the write path); PostgreSQL gets none of them:
/// each saga message writes in a transaction of its own, on a row it locked.
/// </summary>
internal static class FanoutStore
{
    public static void AddFanoutStore(this IServiceCollection services, OrchestratorSettings settings)
    {
        services.AddSingleton(new SqlDialect(settings.Provider));
        // Pooled: a saga message, a completion batch and a status query each lease a context instead of building one
        // (EF's per-context service resolution showed in profiles of the saga endpoint).
        if (settings.Provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContextPool<FanoutDbContext, PostgresFanoutDbContext>(
                o => UsePostgres(o, settings.PostgresConnectionString));
            services.AddSingleton(new DatabaseWriteGate(serialize: false));
            services.AddScoped<SagaWriteTransaction, OwnSagaWriteTransaction>();
            return;
        }

        services.AddDbContextPool<FanoutDbContext, SqliteFanoutDbContext>(
            o => UseSqlite(o, settings.SqliteConnectionString));
        services.AddSingleton(new DatabaseWriteGate(serialize: true));
        services.AddSingleton<SagaWriteGroup>();
        services.AddHostedService<WalCheckpointer>();
        services.AddScoped<SagaWriteTransaction, GroupedSagaWriteTransaction>();
    }

    public static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas());

    public static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString);
}
