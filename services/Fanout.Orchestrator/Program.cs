using Fanout.Bus;
using Fanout.Bus.Logging;
using Fanout.Health;
using Fanout.Orchestrator;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFanoutLogging(builder.Configuration);
builder.AddFanoutHealthEndpoints();
builder.Services.AddFanoutBus(builder.Configuration, bus => bus.AddOrchestrator(builder.Configuration));
await builder.Build().RunAsync();
