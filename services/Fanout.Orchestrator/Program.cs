using Fanout.Bus;
using Fanout.Orchestrator;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(args);
// EF Core logs every SQL command at Information; the orchestrator's own lines are the useful ones.
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
builder.Services.AddFanoutBus(builder.Configuration, bus => bus.AddOrchestrator(builder.Configuration));
await builder.Build().RunAsync();
