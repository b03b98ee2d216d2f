using Fanout.Testing.Processes;
namespace Fanout.Chaos.Deployment;

/// <summary>
/// A private RabbitMQ cluster of local nodes (compose/rabbitmq-cluster.sh, nodes <c>chaos-cluster5711-1</c> …), every
/// process on it with the node list as <c>FANOUT_RABBITMQ</c> and quorum queues, so the faults can stop one node while
/// the others carry on. The run watches queues through the last node's management API, and faults leave that node up.
/// </summary>
public sealed class PrivateCluster(ChaosPaths paths, IReadOnlyList<int> ports) : IChaosBroker
{
    /// <summary>Node names carry the first port: Erlang node names are host-wide, so two runs on other ports never meet.</summary>
    readonly string _prefix = $"chaos-cluster{ports[0]}-";

    public string Url { get; private set; } = "";

    public Uri ManagementUrl => new($"http://localhost:{ports[^1] + 10000}/");

    public IReadOnlyDictionary<string, string> ClientSettings { get; } =
        new Dictionary<string, string> { ["Fanout:RabbitMq:QueueType"] = "quorum" };

    /// <summary>Node numbers (1-based) a fault may stop: every node but the one whose management API the run watches.</summary>
    public IReadOnlyList<int> StoppableNodes => Enumerable.Range(1, ports.Count - 1).ToList();

    public string NodeName(int node) => $"{_prefix}{node}@localhost";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var output = await Run(["start", _prefix, .. ports.Select(p => p.ToString())], cancellationToken);
        Url = output.Trim().Split('\n')[^1];
    }

    /// <summary>A clean stop of one node (<c>rabbitmqctl stop</c>): its connections close, its queue replicas go away.</summary>
    public Task StopNodeAsync(int node, CancellationToken cancellationToken) => Run(["stop-node", _prefix, node.ToString()], cancellationToken);

    /// <summary>SIGKILL of one node's Erlang VM: a crash, without a clean shutdown.</summary>
    public Task KillNodeAsync(int node, CancellationToken cancellationToken) => Run(["kill-node", _prefix, node.ToString()], cancellationToken);

    /// <summary>Boots a stopped node again; it rejoins the cluster from its own data directory.</summary>
    public Task StartNodeAsync(int node, CancellationToken cancellationToken) => Run(["start-node", _prefix, node.ToString()], cancellationToken);

    public Task ResetAsync(CancellationToken cancellationToken) => Run(["reset", _prefix], cancellationToken);

    Task<string> Run(string[] args, CancellationToken cancellationToken) => ScriptRunner.RunAsync(paths.ClusterScript, args, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ResetAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"chaos: could not remove the cluster {_prefix}: {ex.Message}");
        }
    }
}
