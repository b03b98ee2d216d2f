using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fanout.Fifo.Persistence;

/// <summary>The order store in a SQLite file; its migrations are in Migrations/Sqlite.</summary>
public sealed class SqliteOrderDbContext(DbContextOptions<SqliteOrderDbContext> options) : OrderDbContext(options);

/// <summary>For <c>dotnet ef migrations add ... --context SqliteOrderDbContext</c>; no database is opened.</summary>
internal sealed class SqliteOrderDbContextFactory : IDesignTimeDbContextFactory<SqliteOrderDbContext>
{
    public SqliteOrderDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteOrderDbContext>().UseSqlite("Data Source=orders.db").Options);
}
