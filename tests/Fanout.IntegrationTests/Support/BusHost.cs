using Fanout.Bus;
using Fanout.Bus.Patterns;
using Fanout.Contracts;
using Fanout.Orchestrator;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.IntegrationTests.Support;

/// <summary>A host as a deployment would run it, on RabbitMQ, in this test process.</summary>
public sealed class BusHost : IAsyncDisposable
{
    readonly IHost _host;
    BusHost? _secondOrchestrator;

    BusHost(IHost host)
    {
        _host = host;
        // Before the host starts, so no receive can begin unobserved.
        Activity = BusActivity.Observe(host.Services.GetRequiredService<IBus>());
    }

    public IServiceProvider Services => _host.Services;
    public IFanoutPatterns Patterns => Services.GetRequiredService<IFanoutPatterns>();
    public Recorder Recorder => Services.GetRequiredService<Recorder>();

    /// <summary>Receives in flight and the last activity of this host's bus.</summary>
    public BusActivity Activity { get; }

    /// <summary>
    /// A message for <paramref name="cid"/> through the saga's queue, answered by the saga. Its messages of one CID are
    /// handled one after another (partitioned by CID), each publishing what it emits, confirmed by the broker, before
    /// the next starts; so once the answer is here, anything the saga emitted for that run before it is at the broker.
    /// </summary>
    public async Task<CancelOutcome> SagaSentinel(string cid) =>
        (await Services.GetRequiredService<IBus>().CreateRequestClient<CancelFanout>()
            .GetResponse<CancelOutcome>(new CancelFanout { Cid = cid, Reason = "test sentinel" })).Message;

    public static Task<BusHost> StartAsync(string rabbitMq, string? database, Action<FanoutBusBuilder, IConfiguration> configure,
        IDictionary<string, string?>? settings = null, Action<ILoggingBuilder>? logging = null) =>
        StartAsync(rabbitMq, database, configure, settings, logging, withSecondOrchestrator: true);

    /// <summary>A host without the peer orchestrator <c>make test-postgres</c> adds: the test starts each one itself.</summary>
    public static Task<BusHost> StartAloneAsync(string rabbitMq, string? database,
        Action<FanoutBusBuilder, IConfiguration> configure, IDictionary<string, string?>? settings = null) =>
        StartAsync(rabbitMq, database, configure, settings, logging: null, withSecondOrchestrator: false);

    static async Task<BusHost> StartAsync(string rabbitMq, string? database, Action<FanoutBusBuilder, IConfiguration> configure,
        IDictionary<string, string?>? settings, Action<ILoggingBuilder>? logging, bool withSecondOrchestrator)
    {
        database = TestStores.Resolve(database);
        settings = settings is null ? null : TestStores.ResolveAll(settings);
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FanoutBusSettings.RabbitMqVariable] = rabbitMq,
            [OrchestratorSettings.DatabaseVariable] = database,
            ["Fanout:Source"] = "integration",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddSingleton<Gate>();
        builder.Services.AddSingleton<DeferredTokens>();
        builder.Services.AddSingleton<ConcurrencyMeter>();
        builder.Services.AddFanoutBus(builder.Configuration, bus => configure(bus, builder.Configuration));
        var bus = new BusHost(builder.Build());
        await bus._host.StartAsync();
        // On a shared database (make test-postgres) each orchestrator under test has a peer that takes half its work.
        if (withSecondOrchestrator && TestStores.OrchestratorsPerDatabase > 1 && bus.Services.GetService<OrchestratorSettings>() is not null)
            bus._secondOrchestrator = await StartAsync(rabbitMq, database, (b, c) => b.AddOrchestrator(c), settings, logging,
                withSecondOrchestrator: false);
        return bus;
    }

    public async ValueTask DisposeAsync()
    {
        Activity.Disconnect();
        if (_secondOrchestrator is not null)
            await _secondOrchestrator.DisposeAsync();
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
