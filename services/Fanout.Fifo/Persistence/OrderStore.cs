using Fanout.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fanout.Fifo.Persistence;

/// <summary>
/// The order database a <see cref="FifoSettings.Database"/> names: SQLite (the default) or PostgreSQL.
/// </summary>
internal static class OrderStore
{
    /// <summary>
    /// Key of the order store's own write gate: a process may also host the orchestrator, whose store can be on another
    /// provider (a serialized gate for a SQLite file, an open one for PostgreSQL).
    /// </summary>
    public const string WriteGate = "fanout.orders";

    public static void Add(IServiceCollection services, FifoSettings settings)
    {
        if (settings.Provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContext<OrderDbContext, PostgresOrderDbContext>(o =>
                o.UseNpgsql(DatabaseSetting.PostgresConnectionString(settings.Database)));
            // The server orders concurrent writers itself.
            services.AddKeyedSingleton(WriteGate, new DatabaseWriteGate(serialize: false));
        }
        else
        {
            services.AddDbContext<OrderDbContext, SqliteOrderDbContext>(o =>
                o.UseSqlite(DatabaseSetting.SqliteConnectionString(settings.Database))
                    .AddInterceptors(new SqlitePragmas()));
            services.AddKeyedSingleton(WriteGate, new DatabaseWriteGate(serialize: true));
        }

        // Ahead of MassTransit's hosted service: the schema is in place before any consumer runs.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, OrderDatabaseInitializer>());
    }
}
