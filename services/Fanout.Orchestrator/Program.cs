using Fanout.Bus;
using Fanout.Bus.Configuration;
using Fanout.Bus.Logging;
using Fanout.Health;
using Fanout.Orchestrator;
using Microsoft.Extensions.Hosting;

if (HostUsage.Asked(args))
{
    Console.Write(HostUsage.Text("Fanout.Orchestrator",
        "Runs the fan-out state machine: stores every run, invokes its targets, fans their results in and sends its " +
        "callbacks.",
        [
            ("FANOUT_RABBITMQ", "broker URL(s); empty: in-memory transport (one process only)"),
            ("FANOUT_DATABASE", "SQLite file or PostgreSQL connection string (default: Data Source=fanout.db)"),
            ("FANOUT_COMPLETION_SECRET", "HMAC key of completion tokens (default: generated, kept in the store)"),
            ("FANOUT_HEALTH_URL", "where /health/live and /health/ready are served (default: not served)"),
            ("FANOUT_LOG_FORMAT", "json (default) or text"),
        ]));
    return;
}

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFanoutLogging(builder.Configuration);
builder.AddFanoutHealthEndpoints();
builder.Services.AddFanoutBus(builder.Configuration, bus => bus.AddOrchestrator(builder.Configuration));
await builder.Build().RunAsync();
