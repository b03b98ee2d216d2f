using Fanout.Testing.Databases;

namespace Fanout.IntegrationTests.Support;

/// <summary>
/// The order store a FIFO test's processes share: a PostgreSQL database of the test's own when the tests run against
/// PostgreSQL (<see cref="TestPostgres"/>), else a SQLite file in the test's directory. Dropped afterwards.
/// </summary>
public sealed class OrdersDatabase : IAsyncDisposable
{
    bool _onPostgres;

    OrdersDatabase(string setting) => Setting = setting;

    /// <summary>The value of <c>FANOUT_ORDERS_DATABASE</c>.</summary>
    public string Setting { get; }

    /// <param name="postgres">For tests that only make sense on PostgreSQL: they fail without a server.</param>
    public static async Task<OrdersDatabase> CreateAsync(TestDirectory directory, bool postgres = false)
    {
        var server = postgres ? TestPostgres.RequiredServer : TestPostgres.Server;
        if (server is null)
            return new OrdersDatabase(directory.File("orders.db"));
        var database = await TestPostgres.CreateDatabaseAsync(server, "fifo_orders");
        return new OrdersDatabase(database) { _onPostgres = true };
    }

    public async ValueTask DisposeAsync()
    {
        if (_onPostgres)
            await TestPostgres.DropDatabaseAsync(Setting);
    }
}
