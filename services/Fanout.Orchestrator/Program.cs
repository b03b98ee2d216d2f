using Fanout.Bus;
using Fanout.Orchestrator;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddFanoutBus(builder.Configuration, bus => bus.AddOrchestrator(builder.Configuration));
await builder.Build().RunAsync();
