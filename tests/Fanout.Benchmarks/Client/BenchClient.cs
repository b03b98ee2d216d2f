using Fanout.Bus;
using Fanout.Bus.Patterns;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Benchmarks.Client;

/// <summary>
/// This process on the bus, as one client process of a deployment: it submits runs through <see cref="IFanoutPatterns"/>,
/// hosts the no-op targets and the counting final callback (AddFanoutBus, the same bus set-up as every host), observes
/// order events, and answers the ceiling's request→reply pairs on an endpoint with the services' prefetch.
/// </summary>
public sealed class BenchClient : IAsyncDisposable
{
    readonly IHost _host;

    BenchClient(IHost host) => _host = host;

    public IFanoutPatterns Patterns => _host.Services.GetRequiredService<IFanoutPatterns>();
    public IBus Bus => _host.Services.GetRequiredService<IBus>();
    public Observed Observed => _host.Services.GetRequiredService<Observed>();

    public static async Task<BenchClient> StartAsync(string rabbitMq, CancellationToken cancellationToken)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FanoutBusSettings.RabbitMqVariable] = rabbitMq,
            ["Fanout:Source"] = "bench",
        });
        // stdout is the results table's; warnings and errors go to stderr with the progress lines.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<Observed>();
        builder.Services.AddFanoutBus(builder.Configuration, bus =>
        {
            for (var i = 0; i < BenchServices.DistinctTargets; i++)
                bus.AddService<NoopTarget>(BenchServices.Target(i));
            bus.AddService<NoopTarget>(BenchServices.MapTarget);
            bus.AddService<CountingFinalCallback>(BenchServices.FinalCallback);
            bus.Register(x =>
            {
                x.AddConsumer<OrderDoneWatcher>();
                x.AddConsumer<CeilingResponder>();
            });
            bus.ConfigureEndpoints((context, cfg, _) =>
            {
                cfg.ReceiveEndpoint(BenchServices.OrderEvents, e => e.ConfigureConsumer<OrderDoneWatcher>(context));
                cfg.ReceiveEndpoint(BenchServices.CeilingQueue, e =>
                {
                    e.PrefetchCount = context.GetRequiredService<FanoutBusSettings>().PrefetchCount;
                    e.ConfigureConsumer<CeilingResponder>(context);
                });
            });
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new BenchClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(10));
        _host.Dispose();
    }
}
