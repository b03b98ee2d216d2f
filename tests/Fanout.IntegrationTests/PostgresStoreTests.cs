using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Fanout.Orchestrator.Persistence;
using Fanout.Testing.Databases;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// The orchestrator on PostgreSQL (<c>FANOUT_TEST_POSTGRES</c>; these fail without it): each test migrates a database
/// of its own, runs fan-outs through it on RabbitMQ, and drops it.
/// </summary>
[Collection(BrokerCollection.Name)]
[Trait("Database", "PostgreSql")]
public sealed class PostgresStoreTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker), IAsyncLifetime
{
    string _database = "";

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _database = await TestPostgres.CreateDatabaseAsync(TestPostgres.RequiredServer, "fanout_store");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }

    Task<BusHost> StartOrchestrator(int inlineResultsLimit = 1000) =>
        BusHost.StartAsync(Url, _database, (bus, configuration) => bus.AddOrchestrator(configuration),
            new Dictionary<string, string?> { ["Fanout:Orchestrator:InlineResultsLimit"] = inlineResultsLimit.ToString() });

    Task<BusHost> StartServices() => BusHost.StartAsync(Url, null, (bus, _) =>
    {
        bus.Services.AddSingleton<FinalSignals>();
        bus.AddService<OkTarget>().AddService<ThrowingTarget>().AddService<NoopTarget>()
            .AddService<RecordingCallback>("it.final").AddService<RecordingCallback>("it.target")
            .AddService<SignallingFinalCallback>("it.map.final");
    });

    async Task<List<string>> Scalars(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(Convert.ToString(reader.GetValue(0))!);
        return values;
    }

    [Fact]
    public async Task A_fanout_with_targets_and_callbacks_completes_on_postgresql()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices();

        var cid = await services.Patterns.Fanout.InvokeAsync(
            new Dictionary<string, object?> { ["t.ok"] = new { hello = "pg" }, ["t.boom"] = new { hello = "x" } },
            ["it.final"], ["it.target"], cid: "it-pg-fanout-1");

        var recorder = services.Recorder;
        await recorder.WaitFor(all => recorder.Of("it.final", cid).Count == 1 && recorder.Of("it.target", cid).Count == 2, TimeSpan.FromSeconds(30));
        var data = recorder.Of("it.final", cid)[0].Request.GetProperty("data");
        Assert.True(data.GetProperty("t.ok").GetProperty("ok").GetBoolean());
        Assert.Equal("pg", data.GetProperty("t.ok").GetProperty("response").GetProperty("echo").GetProperty("hello").GetString());
        Assert.False(data.GetProperty("t.boom").GetProperty("ok").GetBoolean());

        var status = await RunStatusQuery.GetAsync(services.Services.GetRequiredService<IBus>(), cid);
        Assert.Equal((FanoutStates.Completed, 2, 2, 1), (status.State, status.TargetCount, status.FinishedCount, status.FailedCount));
        Assert.Equal(DateTimeKind.Utc, status.RequestedAtUtc.Kind);
        Assert.Equal(["Completed"], await Scalars("SELECT \"CurrentState\" FROM fanouts"));
        Assert.Equal(AllMigrations(), await Scalars("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"));
    }

    [Fact]
    public async Task A_map_of_2000_calls_completes_on_postgresql()
    {
        await using var orchestrator = await StartOrchestrator(inlineResultsLimit: 5_000);
        await using var services = await StartServices();
        var bus = services.Services.GetRequiredService<IBus>();

        var cid = await MapRuns.Start(bus, MapRuns.Request("it.noop", 2_000, "it.map.final"));
        var payload = await services.Services.GetRequiredService<FinalSignals>().For(cid).Task.WaitAsync(TimeSpan.FromMinutes(2));

        var data = payload.GetProperty("data");
        Assert.Equal(2_001, data.EnumerateObject().Count());
        Assert.All(Enumerable.Range(0, 2_000), i => Assert.True(data.GetProperty($"it.noop#{i}").GetProperty("ok").GetBoolean()));
        var all = await MapRuns.ReadAll(bus, cid);
        Assert.Equal(2_001, all.Count);
        Assert.All(all, t => Assert.Equal((TargetStates.Completed, "it.noop", 1), (t.Target.Status, t.Target.Service, t.Target.Attempts)));
        Assert.Equal(["2001"], await Scalars("SELECT count(*) FROM target_results WHERE \"Finished\" AND \"Ok\" AND \"InvokedAtUtc\" IS NOT NULL"));
    }

    [Fact]
    public async Task Two_orchestrators_started_at_once_migrate_and_share_a_burst_with_each_final_callback_once()
    {
        const int runs = 100, targets = 5;
        var started = await Task.WhenAll(StartOrchestrator(), StartOrchestrator());
        await using var first = started[0];
        await using var second = started[1];
        await using var services = await StartServices();
        Assert.Equal(AllMigrations(), await Scalars("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cids = await Task.WhenAll(Enumerable.Range(0, runs).Select(r => services.Patterns.Fanout.MapAsync(
            "t.ok", Enumerable.Range(0, targets).Select(t => (object?)new { r, t }), ["it.final"], cid: $"it-pg-burst-{r}")));

        var recorder = services.Recorder;
        await recorder.WaitFor(all => all.Count(i => i.Service == "it.final") >= runs, TimeSpan.FromMinutes(2));
        var elapsed = clock.Elapsed;
        await BusActivity.WaitForIdle([first.Activity, second.Activity, services.Activity]);

        var finals = recorder.Of("it.final").GroupBy(i => i.Cid).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(cids.Order(), finals.Keys.Order());
        Assert.All(finals, f => Assert.Equal(1, f.Value));
        Assert.Equal([runs.ToString()], await Scalars("SELECT count(*) FROM fanouts WHERE \"CurrentState\" = 'Completed'"));
        Assert.Equal([(runs * targets).ToString()], await Scalars("SELECT count(*) FROM target_results WHERE \"Finished\" AND \"Ok\""));
        output.WriteLine($"{runs} runs x {targets} targets through two orchestrators on one database: last final callback after " +
                         $"{elapsed.TotalSeconds:0.0} s ({runs * targets / elapsed.TotalSeconds:0} targets/s)");
    }

    /// <summary>Every migration of the PostgreSQL store, each applied once however many processes started at once.</summary>
    static List<string> AllMigrations()
    {
        var options = new DbContextOptionsBuilder<PostgresFanoutDbContext>().UseNpgsql("Host=unused").Options;
        using var db = new PostgresFanoutDbContext(options);
        return db.Database.GetMigrations().Order(StringComparer.Ordinal).ToList();
    }
}
