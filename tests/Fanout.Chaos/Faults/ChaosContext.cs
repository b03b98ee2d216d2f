using Fanout.Chaos.Deployment;

namespace Fanout.Chaos.Faults;

/// <summary>What faults act on: the processes, the broker node, its management API, and where the files are.</summary>
public sealed record ChaosContext(ChaosPaths Paths, ChaosOptions Options, SystemProcesses System, IChaosBroker Broker,
    Management Management, Random Random)
{
    /// <summary>The single private node, for the faults that stop or kill the whole broker.</summary>
    public PrivateBroker Node => Broker as PrivateBroker
        ?? throw new InvalidOperationException("this fault needs the single-node deployment");

    /// <summary>The private cluster, for the faults that stop one of its nodes.</summary>
    public PrivateCluster Cluster => Broker as PrivateCluster
        ?? throw new InvalidOperationException("this fault needs the cluster deployment (--cluster)");

    public static void Progress(string line) => Console.Error.WriteLine($"chaos {DateTime.Now:HH:mm:ss} {line}");
}
