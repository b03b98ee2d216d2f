using Fanout.Contracts;
using Fanout.Fifo;
using Fanout.Fifo.Persistence;
using Fanout.Testing.Databases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fanout.Tests.Fifo;

/// <summary>The order store on a real PostgreSQL database of the test's own (FANOUT_TEST_POSTGRES).</summary>
[Trait("Database", "PostgreSql")]
public sealed class PostgresOrderStoreTests : IAsyncLifetime
{
    string _database = "";
    readonly List<ServiceProvider> _stores = [];

    public async Task InitializeAsync() =>
        _database = await TestPostgres.CreateDatabaseAsync(TestPostgres.RequiredServer, "fifo_store");

    ServiceProvider Store()
    {
        var services = new ServiceCollection();
        OrderStore.Add(services, new FifoSettings { Database = _database });
        var store = services.BuildServiceProvider();
        _stores.Add(store);
        return store;
    }

    static Task Initialize(ServiceProvider store) =>
        new OrderDatabaseInitializer(store.GetRequiredService<IServiceScopeFactory>())
            .StartAsync(CancellationToken.None);

    static OrderDbContext Context(ServiceProvider store) => store.CreateScope().ServiceProvider.GetRequiredService<OrderDbContext>();

    static OrderRecord Standby(string id, DateTime submitted) =>
        new() { OrderId = id, Fifo = "orders", Status = OrderStates.Standby, ParametersJson = "{}", SubmittedAtUtc = submitted };

    [Fact]
    public async Task Processes_starting_together_migrate_once_and_store_orders_in_arrival_order()
    {
        var stores = Enumerable.Range(0, 3).Select(_ => Store()).ToList();
        await Task.WhenAll(stores.Select(Initialize));

        await using var db = Context(stores[0]);
        Assert.IsType<PostgresOrderDbContext>(db);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());

        var submitted = DateTime.UtcNow;
        db.Orders.AddRange(Enumerable.Range(0, 50).Select(i => Standby($"ord-{i:D2}", submitted)));
        await db.SaveChangesAsync();
        var stored = await db.Orders.AsNoTracking().OrderBy(o => o.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"ord-{i:D2}"), stored.Select(o => o.OrderId));
        Assert.Equal(submitted, stored[0].SubmittedAtUtc, TimeSpan.FromMilliseconds(1));
        Assert.Equal(DateTimeKind.Utc, stored[0].SubmittedAtUtc.Kind);
        await Assert.ThrowsAsync<DbUpdateException>(async () =>
        {
            await using var other = Context(stores[1]);
            other.Orders.Add(Standby("ord-00", submitted));
            await other.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task Two_sweeps_at_once_claim_each_stranded_order_once()
    {
        var store = Store();
        await Initialize(store);
        var old = DateTime.UtcNow.AddMinutes(-1);
        await using (var db = Context(store))
        {
            db.Orders.AddRange(Enumerable.Range(0, 5).Select(i => Standby($"ord-{i}", old)));
            db.Orders.Add(new OrderRecord { OrderId = "ord-queued", Fifo = "orders", Status = OrderStates.Standby, SubmittedAtUtc = old, Enqueued = true });
            await db.SaveChangesAsync();
        }

        await using var first = Context(store);
        await using var second = Context(store);
        await using var firstClaim = await first.Database.BeginTransactionAsync();
        var claimed = await EnqueueSweeper.ClaimStranded(first, DateTime.UtcNow).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"ord-{i}"), claimed.Select(o => o.OrderId));

        // While the first sweep holds them (sending), the other process's sweep passes them by instead of waiting.
        await using (var secondClaim = await second.Database.BeginTransactionAsync())
            Assert.Empty(await EnqueueSweeper.ClaimStranded(second, DateTime.UtcNow).ToListAsync());

        var sequences = claimed.Select(o => o.Sequence).ToList();
        await first.Orders.Where(o => sequences.Contains(o.Sequence)).ExecuteUpdateAsync(s => s.SetProperty(o => o.Enqueued, true));
        await firstClaim.CommitAsync();
        Assert.Empty(await EnqueueSweeper.ClaimStranded(second, DateTime.UtcNow).ToListAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
            await store.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }
}
