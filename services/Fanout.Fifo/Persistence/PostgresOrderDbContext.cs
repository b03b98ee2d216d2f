using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fanout.Fifo.Persistence;

/// <summary>The order store on PostgreSQL; its migrations are in Migrations/PostgreSql.</summary>
public sealed class PostgresOrderDbContext(DbContextOptions<PostgresOrderDbContext> options) : OrderDbContext(options);

/// <summary>For <c>dotnet ef migrations add ... --context PostgresOrderDbContext</c>; no database is opened.</summary>
internal sealed class PostgresOrderDbContextFactory : IDesignTimeDbContextFactory<PostgresOrderDbContext>
{
    public PostgresOrderDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresOrderDbContext>()
            .UseNpgsql("Host=localhost;Database=fanout_orders")
            .Options);
}
