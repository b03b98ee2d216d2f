using Fanout.Bus;
using Fanout.Bus.Patterns;
using Fanout.Orchestrator;
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

    BusHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;
    public IFanoutPatterns Patterns => Services.GetRequiredService<IFanoutPatterns>();
    public Recorder Recorder => Services.GetRequiredService<Recorder>();

    public static async Task<BusHost> StartAsync(string rabbitMq, string? database, Action<FanoutBusBuilder, IConfiguration> configure,
        IDictionary<string, string?>? settings = null)
    {
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
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddSingleton<Gate>();
        builder.Services.AddSingleton<DeferredTokens>();
        builder.Services.AddSingleton<ConcurrencyMeter>();
        builder.Services.AddFanoutBus(builder.Configuration, bus => configure(bus, builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return new BusHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
