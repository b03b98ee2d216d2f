using Fanout.Bus;
using Fanout.Bus.Logging;
using Fanout.Orchestrator;
using Fanout.Samples;
using Fanout.Samples.Batch;
using Fanout.Samples.Demo;
using MassTransit;
using Microsoft.Extensions.Hosting;

const string Usage = """
    Usage: Fanout.Samples [demo|services|caller|batch]

      demo      (default) the whole reference scenario in one process: orchestrator, services, callbacks.
                In memory unless FANOUT_RABBITMQ is set. Prints one JSON line per callback invocation.
      services  hosts the sample services and callbacks until stopped (needs FANOUT_RABBITMQ and a running
                Fanout.Orchestrator).
      caller    runs the reference scenario against running services and orchestrator, then exits.
      batch     the long-running scenario: POST /orders starts three batch jobs whose partner systems
                (stand-ins served here) report back through the gateway. Listens on Samples:Batch:Url
                (default http://127.0.0.1:8090); needs FANOUT_RABBITMQ, an orchestrator and a gateway.

    Environment: FANOUT_RABBITMQ=amqp://guest:guest@localhost:5672/  FANOUT_DATABASE=path/to/fanout.db
    """;

var mode = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "demo";
string[] modes = ["demo", "services", "caller", "batch"];
if (args.Contains("--help") || args.Contains("-h") || !modes.Contains(mode))
{
    Console.Error.WriteLine(Usage);
    return modes.Contains(mode) ? 0 : 2;
}

if (mode == "batch")
{
    var web = WebApplication.CreateBuilder(args.Where(a => a != mode).ToArray());
    web.Logging.AddFanoutLogging(web.Configuration, toStandardError: true);
    web.AddBatchScenario();
    var app = web.Build();
    app.MapBatchScenario();
    await app.RunAsync();
    return 0;
}

var builder = Host.CreateApplicationBuilder(args.Where(a => a != mode).ToArray());
// stdout carries the callback JSON lines; everything else goes to stderr.
builder.Logging.AddFanoutLogging(builder.Configuration, toStandardError: true);
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
