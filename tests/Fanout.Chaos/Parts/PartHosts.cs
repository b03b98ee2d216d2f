using Fanout.Bus;
using Fanout.Bus.Logging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fanout.Chaos.Parts;

/// <summary>
/// The two processes of user code the chaos run starts (and kills) beside the deployed parts: <c>targets</c> hosts the
/// ten target services, <c>callbacks</c> the final and per-target callbacks and writes their ledger.
/// </summary>
public static class PartHosts
{
    public static Task<int> RunTargetsAsync(string[] args) => RunAsync(args, (_, bus) =>
    {
        foreach (var target in ChaosNames.Targets)
            bus.AddService<NoopTarget>(target);
    });

    public static Task<int> RunCallbacksAsync(string[] args) => RunAsync(args, (builder, bus) =>
    {
        var ledger = Environment.GetEnvironmentVariable(ChaosNames.LedgerVariable)
                     ?? throw new InvalidOperationException($"set {ChaosNames.LedgerVariable} to the ledger file");
        builder.Services.AddSingleton(new LedgerWriter(ledger));
        builder.Services.AddConsumeObserver<LedgerObserver>();
        bus.AddService<LedgerFinalCallback>(ChaosNames.FinalCallback);
        bus.AddService<LedgerTargetCallback>(ChaosNames.TargetCallback);
    });

    static async Task<int> RunAsync(string[] args, Action<HostApplicationBuilder, FanoutBusBuilder> services)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddFanoutLogging(builder.Configuration);
        builder.Services.AddFanoutBus(builder.Configuration, bus => services(builder, bus));
        await builder.Build().RunAsync();
        return 0;
    }
}
