using Fanout.Bus;
using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Fanout.Samples.Demo;

public static class DemoRegistration
{
    /// <summary>
    /// Counts completed fan-outs on a temporary queue of this process, so the demo knows when it is over.
    /// </summary>
    public static FanoutBusBuilder AddCompletionWatcher(this FanoutBusBuilder bus)
    {
        bus.Services.AddSingleton<CompletionTracker>();
        bus.Register(x => x.AddConsumer<CompletionWatcher>());
        return bus.ConfigureEndpoints((context, cfg, _) =>
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("sample-demo-watcher"),
                e => e.ConfigureConsumer<CompletionWatcher>(context)));
    }

    /// <summary>Runs the scenario once the bus started (registered after it), and returns its exit code.</summary>
    public static async Task<int> RunDemoAsync(this HostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DemoRunner>();
        builder.Services.AddHostedService(p => p.GetRequiredService<DemoRunner>());
        using var host = builder.Build();
        var runner = host.Services.GetRequiredService<DemoRunner>(); // RunAsync disposes the container.
        await host.RunAsync();
        return runner.ExitCode;
    }
}
