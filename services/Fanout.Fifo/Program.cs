using Fanout.Bus;
using Fanout.Bus.Logging;
using Fanout.Fifo;
using Fanout.Fifo.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The FIFO worker host: the order registry plus a worker for each FIFO in Fanout:Fifo:Queues (default "orders"),
// running the reference handler. Start it twice for a hot standby.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFanoutLogging(builder.Configuration);
var fifos = builder.Configuration.GetSection("Fanout:Fifo:Queues").Get<string[]>() is { Length: > 0 } names ? names : [FifoSettings.DefaultFifo];
builder.Services.AddSingleton(new SleepingOrderHandler.Settings(builder.Configuration.GetValue("Fanout:Fifo:SampleWorkMs", 1000)));
builder.Services.AddFanoutBus(builder.Configuration, bus =>
{
    bus.AddFifoRegistry(builder.Configuration);
    foreach (var fifo in fifos)
        bus.AddFifoWorker<SleepingOrderHandler>(builder.Configuration, fifo);
});
await builder.Build().RunAsync();
