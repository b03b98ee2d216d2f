using Fanout.Bus;
using Fanout.Bus.Patterns;
using Fanout.Orchestrator;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Tests.Support;

/// <summary>
/// The embedded configuration under MassTransit's test harness: orchestrator and test services on the in-memory
/// transport, saga state in a real SQLite file of its own.
/// </summary>
public sealed class EmbeddedBus : IAsyncDisposable
{
    readonly ServiceProvider _provider;
    readonly string _directory;
    readonly bool _ownsDirectory;

    EmbeddedBus(ServiceProvider provider, string directory, bool ownsDirectory)
    {
        _provider = provider;
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        // Before the harness starts, so no receive can begin unobserved.
        Activity = BusActivity.Observe(provider.GetRequiredService<IBus>());
    }

    public ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();
    public IFanoutPatterns Patterns => _provider.GetRequiredService<IFanoutPatterns>();
    public Recorder Recorder => _provider.GetRequiredService<Recorder>();
    public Gate Gate => _provider.GetRequiredService<Gate>();
    public string DatabasePath => Path.Combine(_directory, "fanout.db");
    public IServiceProvider Services => _provider;

    /// <summary>Receives in flight and the last activity on this bus; see <see cref="WaitForIdle"/>.</summary>
    public BusActivity Activity { get; }

    /// <summary>
    /// Waits until every message sent so far has been handled, and everything those handlers sent too: the positive
    /// signal before asserting that something happened only once or not at all.
    /// </summary>
    public Task WaitForIdle() => Activity.WaitForIdle();

    /// <param name="time">The clock every part of the bus reads (a <c>FakeTimeProvider</c> to move it by hand); the
    /// system's by default.</param>
    public static async Task<EmbeddedBus> StartAsync(Action<IServiceProvider>? beforeStart = null, string? directory = null,
        Action<ILoggingBuilder>? logging = null, TimeProvider? time = null)
    {
        var ownsDirectory = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [OrchestratorSettings.DatabaseVariable] = Path.Combine(directory, "fanout.db"),
            [FanoutBusSettings.RabbitMqVariable] = "",
            ["Fanout:Source"] = "tests",
            ["Fanout:AcknowledgeTimeout"] = "00:00:15",
            ["Fanout:Orchestrator:SweepInterval"] = "00:00:00.200",
        }).Build();

        var services = new ServiceCollection();
        services.AddLogging(logging ?? (l => l.SetMinimumLevel(LogLevel.Warning)));
        services.AddSingleton<Recorder>();
        services.AddSingleton<Gate>();
        services.AddSingleton<DeferredTokens>();
        services.AddSingleton<ConcurrencyMeter>();
        if (time is not null)
            services.AddSingleton(time);
        services.AddFanoutBus(configuration, bus => bus
            .AddOrchestrator(configuration)
            .AddService<OkTarget>()
            .AddService<ThrowingTarget>()
            .AddService<GatedTarget>()
            .AddService<DeferredTarget>()
            .AddService<SlowTarget>("t.slow1")
            .AddService<SlowTarget>("t.slow2")
            .AddService<SlowTarget>("t.slow3")
            .AddService<SlowTarget>("t.slow4")
            .AddService<SlowTarget>("t.slow5")
            .AddService<SlowTarget>("t.slow6")
            .AddService<RecordingCallback>("cb.target1")
            .AddService<RecordingCallback>("cb.target2")
            .AddService<RecordingCallback>("cb.final1")
            .AddService<RecordingCallback>("cb.final2")
            .AddCallbackObserver<CallbackObserver>("tests.observer"), testHarness: true);

        var provider = services.BuildServiceProvider(validateScopes: true);
        beforeStart?.Invoke(provider);
        var bus = new EmbeddedBus(provider, directory, ownsDirectory);
        bus.Harness.TestTimeout = TimeSpan.FromSeconds(30);
        await bus.Harness.Start();
        return bus;
    }

    public async Task<T> QueryAsync<T>(Func<FanoutDbContext, Task<T>> query)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<FanoutDbContext>());
    }

    public Task<FanoutSaga?> FindSaga(string cid) =>
        QueryAsync(db => db.Fanouts.AsNoTracking().SingleOrDefaultAsync(f => f.Cid == cid));

    public Task<IReadOnlyList<T>> PublishedAsync<T>(Func<T, bool> filter, int expected) where T : class =>
        Eventually.Until<IReadOnlyList<T>>(
            () => Harness.Published.Select<T>().Select(m => m.Context.Message).Where(filter).ToList(),
            found => found.Count >= expected, $"{expected} published {typeof(T).Name}", describe: found => $"{found.Count} published");

    public async ValueTask DisposeAsync()
    {
        Activity.Disconnect();
        await _provider.DisposeAsync();
        // Pooled connections would outlive this "process" and keep the file open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
