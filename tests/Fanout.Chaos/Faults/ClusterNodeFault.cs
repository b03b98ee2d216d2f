using System.Diagnostics;
using Fanout.Testing;

namespace Fanout.Chaos.Faults;

/// <summary>
/// One node of the cluster stopped (cleanly, or SIGKILL with <paramref name="kill"/>) mid-burst: the node most client
/// connections are on, so their connections and the quorum queue leaders it holds must move to the other nodes. It stays
/// down while the load drains on the remaining nodes, then boots again and must rejoin the cluster.
/// </summary>
public sealed class ClusterNodeFault(string name, bool kill) : IFault
{
    static readonly TimeSpan RejoinLimit = TimeSpan.FromSeconds(120);
    int _stopped;

    public string Name => name;

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var connections = await context.Management.ConnectionsPerNodeAsync(cancellationToken);
        _stopped = cluster.StoppableNodes.MaxBy(n => connections.GetValueOrDefault(cluster.NodeName(n)));
        var on = connections.GetValueOrDefault(cluster.NodeName(_stopped));
        if (kill)
            await cluster.KillNodeAsync(_stopped, cancellationToken);
        else
            await cluster.StopNodeAsync(_stopped, cancellationToken);
        return $"{(kill ? "SIGKILL of" : "clean stop of")} {cluster.NodeName(_stopped)} ({on} of {connections.Values.Sum()} client connections on it), " +
               "down while the load drained";
    }

    /// <summary>The stopped node boots and rejoins; every durable queue the deployment declared is a quorum queue.</summary>
    public async Task<FaultCheck> CheckAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var clock = Stopwatch.StartNew();
        await cluster.StartNodeAsync(_stopped, cancellationToken);
        var rejoined = (await Polling.UntilAsync(() => context.Management.RunningNodesAsync(cancellationToken),
            running => running.Contains(cluster.NodeName(_stopped)), RejoinLimit - clock.Elapsed, TimeSpan.FromSeconds(1),
            cancellationToken)).Met;
        var types = await context.Management.DurableQueueTypesAsync(cancellationToken);
        var classic = types.Where(t => t.Value != "quorum").Select(t => t.Key).Order().ToList();
        var note = (rejoined ? $"{cluster.NodeName(_stopped)} booted and running in the cluster again after {clock.Elapsed.TotalSeconds:0} s"
                       : $"{cluster.NodeName(_stopped)} NOT running in the cluster {RejoinLimit.TotalSeconds:0} s after its start") +
                   $"; {types.Count} durable queues, " + (classic.Count == 0 ? "all quorum" : $"not quorum: {string.Join(", ", classic.Take(5))}");
        return new FaultCheck(rejoined && classic.Count == 0, note);
    }
}
