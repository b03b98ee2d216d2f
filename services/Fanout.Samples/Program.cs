using Fanout.Bus;
using Fanout.Orchestrator;
using Fanout.Samples;
using Fanout.Samples.Demo;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

const string Usage = """
    Usage: Fanout.Samples [demo|services|caller]

      demo      (default) the whole reference scenario in one process: orchestrator, services, callbacks.
                In memory unless FANOUT_RABBITMQ is set. Prints one JSON line per callback invocation.
      services  hosts the sample services and callbacks until stopped (needs FANOUT_RABBITMQ and a running
                Fanout.Orchestrator).
      caller    runs the reference scenario against running services and orchestrator, then exits.

    Environment: FANOUT_RABBITMQ=amqp://guest:guest@localhost:5672/  FANOUT_DATABASE=path/to/fanout.db
    """;

var mode = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "demo";
if (args.Contains("--help") || args.Contains("-h") || mode is not ("demo" or "services" or "caller"))
{
    Console.Error.WriteLine(Usage);
    return mode is "demo" or "services" or "caller" ? 0 : 2;
}

var builder = Host.CreateApplicationBuilder(args.Where(a => a != mode).ToArray());
// stdout carries the callback JSON lines; everything else goes to stderr.
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
if (mode != "services")
    builder.Logging.SetMinimumLevel(LogLevel.Warning);

builder.Services.AddSingleton<Fanout.Samples.Callbacks.CallbackPrinter>();
builder.Services.AddFanoutBus(builder.Configuration, bus =>
{
    if (mode != "caller")
        bus.AddSamples();
    if (mode == "demo")
        bus.AddOrchestrator(builder.Configuration);
    if (mode != "services")
    {
        bus.Services.AddSingleton<CompletionTracker>();
        bus.Register(x => x.AddConsumer<CompletionWatcher>());
        bus.ConfigureEndpoints((context, cfg, _) =>
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("sample-demo-watcher"), e => e.ConfigureConsumer<CompletionWatcher>(context)));
    }
});
if (mode != "services")
{
    builder.Services.AddSingleton<DemoRunner>();
    builder.Services.AddHostedService(p => p.GetRequiredService<DemoRunner>());
}

using var host = builder.Build();
var runner = mode == "services" ? null : host.Services.GetRequiredService<DemoRunner>();
await host.RunAsync();
return runner?.ExitCode ?? 0;
