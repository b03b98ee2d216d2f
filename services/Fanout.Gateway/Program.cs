using Fanout.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddFanoutGateway();
var app = builder.Build();
app.MapFanoutGateway();
app.Run();

/// <summary>Visible to tests that host the gateway in process.</summary>
public partial class Program;
