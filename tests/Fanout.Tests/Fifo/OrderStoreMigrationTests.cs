using Fanout.Fifo;
using Fanout.Fifo.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.Tests.Fifo;

/// <summary>The order store's schema on a real SQLite file: migrated at start, and files made before migrations kept.</summary>
public sealed class OrderStoreMigrationTests : IDisposable
{
    /// <summary>What EnsureCreated made for the order model before the store had migrations (its GenerateCreateScript()).</summary>
    const string EnsureCreatedSchema = """
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
        );
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
        new OrderDatabaseInitializer(store.GetRequiredService<IServiceScopeFactory>(), NullLogger<OrderDatabaseInitializer>.Instance)
            .StartAsync(CancellationToken.None);

    async Task Execute(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={File}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    async Task<List<string>> AppliedMigrations()
    {
        await using var store = Store();
        await using var scope = store.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<OrderDbContext>().Database.GetAppliedMigrationsAsync()).ToList();
    }

    [Fact]
    public async Task A_file_made_by_EnsureCreated_keeps_its_orders_and_gets_the_migration_history()
    {
        await Execute(EnsureCreatedSchema);
        await Execute("""
            INSERT INTO "orders" ("OrderId", "Fifo", "Status", "ParametersJson", "SubmittedAtUtc", "StartedAtUtc", "FinishedAtUtc", "Attempts", "Worker", "Reason", "Enqueued")
            VALUES ('ord-a', 'orders', 'done', '{"n":1}', '2026-01-02 03:04:05.1234567', '2026-01-02 03:04:06', '2026-01-02 03:04:07', 1, 'host:1', NULL, 1),
                   ('ord-b', 'orders', 'standby', '{"n":2}', '2026-01-02 03:04:08', NULL, NULL, 0, NULL, NULL, 1);
            """);

        await using (var store = Store())
        {
            // Two processes starting on the same old file at once: each migration is recorded once, nothing fails.
            await Task.WhenAll(Initialize(store), Initialize(Store()));
            await using var scope = store.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
            var orders = await db.Orders.AsNoTracking().OrderBy(o => o.Sequence).ToListAsync();
            Assert.Equal([(1L, "ord-a", "done"), (2L, "ord-b", "standby")], orders.Select(o => (o.Sequence, o.OrderId, o.Status)));
            Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567), orders[0].SubmittedAtUtc);
            Assert.Equal(DateTimeKind.Utc, orders[0].SubmittedAtUtc.Kind);
            Assert.Equal("{\"n\":2}", orders[1].ParametersJson);

            // The arrival order goes on after the old orders.
            db.Orders.Add(new OrderRecord { OrderId = "ord-c", Fifo = "orders", Status = "standby", SubmittedAtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
            Assert.Equal(3, (await db.Orders.SingleAsync(o => o.OrderId == "ord-c")).Sequence);
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }

        var applied = await AppliedMigrations();
        Assert.Equal(["InitialOrders", "FifoLeases"], applied.Select(m => m.Split('_', 2)[1]));
    }

    [Fact]
    public async Task A_new_file_is_migrated_to_the_schema_EnsureCreated_made_plus_the_later_columns()
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
        // FifoLeases added the orders' fencing token (SQLite appends an added column to the table's stored DDL).
        var expected = EnsureCreatedSchema.Replace("\"Enqueued\" INTEGER NOT NULL\n)",
            "\"Enqueued\" INTEGER NOT NULL , \"FencingToken\" INTEGER NULL)");
        Assert.Equal(Normalize(expected), Normalize(string.Join("; ", ddl) + ";"));
    }

    static string Normalize(string sql) => string.Join(" ", sql.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
