using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// For <c>dotnet ef migrations add &lt;Name&gt; --context SqliteFanoutDbContext
/// --output-dir Persistence/Migrations/Sqlite</c>:
/// adding a migration reads the model only, the database named here is never opened.
/// </summary>
public sealed class SqliteFanoutDbContextFactory : IDesignTimeDbContextFactory<SqliteFanoutDbContext>
{
    public SqliteFanoutDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteFanoutDbContext>();
        FanoutStore.UseSqlite(options, "Data Source=fanout.db");
        return new SqliteFanoutDbContext(options.Options);
    }
}

/// <summary>
/// For <c>dotnet ef migrations add &lt;Name&gt; --context PostgresFanoutDbContext
/// --output-dir Persistence/Migrations/PostgreSql</c>
/// (no server needed to add one).
/// </summary>
public sealed class PostgresFanoutDbContextFactory : IDesignTimeDbContextFactory<PostgresFanoutDbContext>
{
    public PostgresFanoutDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresFanoutDbContext>();
        FanoutStore.UsePostgres(options, "Host=localhost;Database=fanout");
        return new PostgresFanoutDbContext(options.Options);
    }
}
