using Fanout.Bus;
using Fanout.Bus.Logging;
using Fanout.Fifo;
using Fanout.Health;
using Fanout.Samples.Fifo;
using Microsoft.Extensions.Hosting;

namespace Fanout.Samples.Hosts;

/// <summary>
/// <c>fifo</c>: the order registry plus a worker for each FIFO in <c>Fanout:Fifo:Queues</c> (default "orders"), running
/// the reference handler. Start it twice for a hot standby.
/// </summary>
static class FifoHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddFanoutLogging(builder.Configuration);
        var fifos = builder.Configuration.GetSection("Fanout:Fifo:Queues").Get<string[]>() is { Length: > 0 } names
            ? names
            : [FifoSettings.DefaultFifo];
        builder.Services.AddSingleton(
            new SleepingOrderHandler.Settings(builder.Configuration.GetValue("Fanout:Fifo:SampleWorkMs", 1000)));
        if (builder.Configuration[RunLedger.Setting] is { Length: > 0 } ledger)
            builder.Services.AddSingleton(new RunLedger(ledger, TimeProvider.System));
        builder.AddFanoutHealthEndpoints();
        builder.Services.AddFanoutBus(builder.Configuration, bus =>
        {
            bus.AddFifoRegistry(builder.Configuration);
            foreach (var fifo in fifos)
                bus.AddFifoWorker<SleepingOrderHandler>(builder.Configuration, fifo);
        });
        await builder.Build().RunAsync();
        return 0;
    }
}
