using Fanout.Bus.Configuration;
using Fanout.Gateway;

if (HostUsage.Asked(args))
{
    Console.Write(HostUsage.Text("Fanout.Gateway",
        "The HTTP API (/v1/...), the dashboard (/ui) and the live events stream (/v1/events), over the bus.",
        [
            ("FANOUT_RABBITMQ", "broker URL(s); empty: in-memory transport (one process only)"),
            ("Fanout__Gateway__Url", "where to listen (default: http://127.0.0.1:8080)"),
            ("FANOUT_API_KEY", "key every request must send; empty: only loopback clients are served"),
            ("FANOUT_LOG_FORMAT", "json (default) or text"),
        ]));
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddFanoutGateway();
var app = builder.Build();
app.MapFanoutGateway();
app.Run();

/// <summary>Visible to tests that host the gateway in process.</summary>
public partial class Program;
