using Fanout.Fifo;
using Fanout.Fifo.Leases;
using Fanout.Fifo.Persistence;
using Fanout.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fanout.Tests.Fifo;

/// <summary>
/// The FIFO line's lease on a real, migrated SQLite order file, with two holders (two worker processes) on one fake
/// clock: one holder at a time, renewal, hand-over after release or expiry, a fencing token that grows with every new
/// holder, and a stale holder refused.
/// </summary>
public class FifoLeaseTests : IAsyncLifetime
{
    const string Line = "line";
    static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    readonly string _directory = Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    ServiceProvider? _store;

    /// <summary>The order database: a SQLite file here, PostgreSQL in <see cref="PostgresFifoLeaseTests"/>.</summary>
    protected virtual Task<string> DatabaseAsync() => Task.FromResult(Path.Combine(_directory, "orders.db"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        OrderStore.Add(services, new FifoSettings { Database = await DatabaseAsync() });
        _store = services.BuildServiceProvider();
        await new OrderDatabaseInitializer(_store.GetRequiredService<IServiceScopeFactory>())
            .StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    FifoLeases Holder(string name) => new(_store!.GetRequiredService<IServiceScopeFactory>(),
        _store!.GetRequiredKeyedService<DatabaseWriteGate>(OrderStore.WriteGate), _time, Duration, name);

    [Fact]
    public async Task One_holder_at_a_time_and_a_release_hands_the_line_over_with_a_larger_token()
    {
        var a = Holder("worker-a");
        var b = Holder("worker-b");

        var first = await a.TryAcquireAsync(Line, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await b.TryAcquireAsync(Line, CancellationToken.None));
        // Another line is a lease of its own.
        Assert.NotNull(await b.TryAcquireAsync("other-line", CancellationToken.None));

        await a.ReleaseAsync(Line, first.Value, CancellationToken.None);
        var second = await b.TryAcquireAsync(Line, CancellationToken.None);
        Assert.NotNull(second);
        Assert.True(second > first, $"token {second} after {first}");
        Assert.Null(await a.TryAcquireAsync(Line, CancellationToken.None));
    }

    [Fact]
    public async Task Renewal_keeps_the_line_past_the_first_expiry()
    {
        var a = Holder("worker-a");
        var b = Holder("worker-b");
        var token = (await a.TryAcquireAsync(Line, CancellationToken.None))!.Value;

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(Duration * 2 / 3);
            Assert.True(await a.RenewAsync(Line, token, CancellationToken.None));
            Assert.Null(await b.TryAcquireAsync(Line, CancellationToken.None));
        }
    }

    [Fact]
    public async Task An_expired_lease_goes_to_the_standby_and_the_stale_holder_can_neither_renew_nor_release_it()
    {
        var a = Holder("worker-a");
        var b = Holder("worker-b");
        var c = Holder("worker-c");
        var stale = (await a.TryAcquireAsync(Line, CancellationToken.None))!.Value;

        _time.Advance(Duration - TimeSpan.FromMilliseconds(1));
        Assert.Null(await b.TryAcquireAsync(Line, CancellationToken.None));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        // Expired: the holder may not renew it even before anyone else took it.
        Assert.False(await a.RenewAsync(Line, stale, CancellationToken.None));
        var current = await b.TryAcquireAsync(Line, CancellationToken.None);
        Assert.True(current > stale, $"token {current} after {stale}");

        Assert.False(await a.RenewAsync(Line, stale, CancellationToken.None));
        await a.ReleaseAsync(Line, stale, CancellationToken.None);
        Assert.Null(await c.TryAcquireAsync(Line, CancellationToken.None));
        Assert.True(await b.RenewAsync(Line, current!.Value, CancellationToken.None));
    }

    [Fact]
    public async Task The_fencing_token_grows_with_every_new_holder()
    {
        var holders = new[] { Holder("worker-a"), Holder("worker-b") };
        var tokens = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var holder = holders[i % 2];
            var token = (await holder.TryAcquireAsync(Line, CancellationToken.None))!.Value;
            tokens.Add(token);
            if (i % 3 == 2)
                _time.Advance(Duration); // left to expire, as by a worker that died
            else
                await holder.ReleaseAsync(Line, token, CancellationToken.None);
        }

        Assert.Equal(tokens.Order(), tokens);
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public async Task A_held_lease_is_renewed_in_the_background_and_releases_on_dispose()
    {
        var a = Holder("worker-a");
        var b = Holder("worker-b");
        var held = await a.HoldAsync(Line, CancellationToken.None);
        for (var i = 0; i < 6; i++)
        {
            // Each step fires one renewal (a third of the duration): the lease never lapses.
            var before = await ExpiryAsync(a);
            _time.Advance(Duration / 3);
            // The renewal runs on the thread pool once the fake clock fired its timer.
            await Eventually.Until(() => ExpiryAsync(a), expiry => expiry > before, "the background renewal",
                RenewalWait);
            Assert.Null(await b.TryAcquireAsync(Line, CancellationToken.None));
        }

        Assert.False(held.Lost.IsCancellationRequested);
        await held.DisposeAsync();
        var next = await b.TryAcquireAsync(Line, CancellationToken.None);
        Assert.True(next > held.Token);
    }

    [Fact]
    public async Task A_holder_that_cannot_renew_in_time_is_told_to_stop_before_the_lease_expires()
    {
        var a = Holder("worker-a");
        var b = Holder("worker-b");
        var held = await a.HoldAsync(Line, CancellationToken.None);
        // Another worker took the line (as after an expiry the holder did not notice): the next renewal is refused.
        _time.Advance(Duration);
        var taken = await b.TryAcquireAsync(Line, CancellationToken.None);
        Assert.NotNull(taken);
        _time.Advance(Duration / 3);

        await Eventually.Until(() => held.Lost.IsCancellationRequested, lost => lost, "the holder to be told to stop",
            RenewalWait);
        await Assert.ThrowsAsync<LeaseLostException>(() => held.ConfirmHeldAsync(CancellationToken.None));
        await held.DisposeAsync();
        // The lost holder's dispose did not release the new holder's lease.
        Assert.True(await b.RenewAsync(Line, taken.Value, CancellationToken.None));
    }

    async Task<DateTime> ExpiryAsync(FifoLeases holder)
    {
        await using var scope = _store!.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        return db.Leases.Single(l => l.Fifo == Line && l.Holder == holder.Holder).ExpiresAtUtc;
    }

    static readonly TimeSpan RenewalWait = TimeSpan.FromSeconds(10);
}

/// <summary>The same lease on a real PostgreSQL database of the test's own (FANOUT_TEST_POSTGRES).</summary>
[Trait("Database", "PostgreSql")]
public sealed class PostgresFifoLeaseTests : FifoLeaseTests
{
    protected override Task<string> DatabaseAsync() =>
        Fanout.Testing.Databases.TestPostgres.CreateDatabaseAsync(
            Fanout.Testing.Databases.TestPostgres.RequiredServer, "fifo_lease");
}
