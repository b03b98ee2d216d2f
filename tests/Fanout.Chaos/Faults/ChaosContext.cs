using Fanout.Chaos.Deployment;

namespace Fanout.Chaos.Faults;

/// <summary>What faults act on: the processes, the broker node, its management API, and where the files are.</summary>
public sealed record ChaosContext(ChaosPaths Paths, ChaosOptions Options, SystemProcesses System, PrivateBroker Broker,
    Management Management, Random Random)
{
    public static void Progress(string line) => Console.Error.WriteLine($"chaos {DateTime.Now:HH:mm:ss} {line}");
}
