using Fanout.Bus;
using Fanout.Samples.Demo;

namespace Fanout.Samples.Hosts;

/// <summary>
/// <c>caller</c>: the scenario against services and an orchestrator running elsewhere; exits when it is over.
/// </summary>
static class CallerHost
{
    public static Task<int> RunAsync(string[] args)
    {
        var builder = ConsoleHost.CreateBuilder(args, quiet: true);
        builder.Services.AddFanoutBus(builder.Configuration, bus => bus.AddCompletionWatcher());
        return builder.RunDemoAsync();
    }
}
