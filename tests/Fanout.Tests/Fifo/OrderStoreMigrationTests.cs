using Fanout.Fifo;
using Fanout.Fifo.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.Fifo;

/// <summary>The order store's schema on a real SQLite file, migrated at start.</summary>
public sealed class OrderStoreMigrationTests : IDisposable
{
    /// <summary>The orders table and its indexes after every migration (SQLite appends FifoLeases' added column to the
    /// table's stored DDL).</summary>
    const string ExpectedSchema = """
        CREATE TABLE "orders" (
            "Sequence" INTEGER NOT NULL CONSTRAINT "PK_orders" PRIMARY KEY AUTOINCREMENT,
            "OrderId" TEXT NOT NULL,
            "Fifo" TEXT NOT NULL,
            "Status" TEXT NOT NULL,
            "ParametersJson" TEXT NOT NULL,
            "SubmittedAtUtc" TEXT NOT NULL,
            "StartedAtUtc" TEXT NULL,
            "FinishedAtUtc" TEXT NULL,
            "Attempts" INTEGER NOT NULL,
            "Worker" TEXT NULL,
            "Reason" TEXT NULL,
            "Enqueued" INTEGER NOT NULL
        , "FencingToken" INTEGER NULL);
        CREATE INDEX "IX_orders_Fifo_Status" ON "orders" ("Fifo", "Status");
        CREATE UNIQUE INDEX "IX_orders_OrderId" ON "orders" ("OrderId");
        """;

    readonly string _directory = Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
    string File => Path.Combine(_directory, "orders.db");

    public OrderStoreMigrationTests() => Directory.CreateDirectory(_directory);

    ServiceProvider Store()
    {
        var services = new ServiceCollection();
        OrderStore.Add(services, new FifoSettings { Database = File });
        return services.BuildServiceProvider();
    }

    static Task Initialize(ServiceProvider store) =>
        new OrderDatabaseInitializer(store.GetRequiredService<IServiceScopeFactory>())
            .StartAsync(CancellationToken.None);

    async Task<List<string>> AppliedMigrations()
    {
        await using var store = Store();
        await using var scope = store.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<OrderDbContext>().Database.GetAppliedMigrationsAsync()).ToList();
    }

    [Fact]
    public async Task A_new_file_is_migrated_to_the_order_schema_once_by_two_processes_starting_together()
    {
        await using (var store = Store())
            await Task.WhenAll(Initialize(store), Initialize(Store()));

        Assert.Equal(["InitialOrders", "FifoLeases"], (await AppliedMigrations()).Select(m => m.Split('_', 2)[1]));
        await using var connection = new SqliteConnection($"Data Source={File}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = 'orders' AND sql IS NOT NULL ORDER BY type DESC, name";
        var ddl = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                ddl.Add(reader.GetString(0));
        Assert.Equal(Normalize(ExpectedSchema), Normalize(string.Join("; ", ddl) + ";"));
    }

    static string Normalize(string sql) => string.Join(" ", sql.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
