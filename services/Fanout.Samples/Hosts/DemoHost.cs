using Fanout.Bus;
using Fanout.Orchestrator;
using Fanout.Samples.Demo;

namespace Fanout.Samples.Hosts;

/// <summary>
/// <c>demo</c>: orchestrator, sample services and the scenario in one process; exits when it is over.
/// </summary>
static class DemoHost
{
    public static Task<int> RunAsync(string[] args)
    {
        var builder = ConsoleHost.CreateBuilder(args, quiet: true);
        builder.Services.AddFanoutBus(builder.Configuration, bus => bus
            .AddSamples()
            .AddOrchestrator(builder.Configuration)
            .AddCompletionWatcher());
        return builder.RunDemoAsync();
    }
}
