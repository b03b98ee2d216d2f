using Fanout.Bus;
using Fanout.Health;
using Microsoft.Extensions.Hosting;

namespace Fanout.Samples.Hosts;

/// <summary><c>services</c>: the sample services and callbacks, until stopped.</summary>
static class ServicesHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = ConsoleHost.CreateBuilder(args);
        builder.AddFanoutHealthEndpoints();
        builder.Services.AddFanoutBus(builder.Configuration, bus => bus.AddSamples());
        await builder.Build().RunAsync();
        return 0;
    }
}
