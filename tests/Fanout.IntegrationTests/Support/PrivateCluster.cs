using Fanout.Testing.Processes;

namespace Fanout.IntegrationTests.Support;

/// <summary>
/// A RabbitMQ cluster of this test's own (compose/rabbitmq-cluster.sh): nodes <c>PREFIX1</c>… on the ports in
/// <c>FANOUT_TEST_CLUSTER_PORTS</c> (default 5711,5712,5713, as <c>make test-cluster</c>), for tests that kill a node.
/// </summary>
public sealed class PrivateCluster(string prefix) : IAsyncDisposable
{
    public IReadOnlyList<int> Ports { get; } =
        (Environment.GetEnvironmentVariable("FANOUT_TEST_CLUSTER_PORTS") is { Length: > 0 } ports ? ports : "5711,5712,5713")
        .Split(',').Select(int.Parse).ToList();

    /// <summary>The AMQP URL of node <paramref name="node"/> (1-based).</summary>
    public string Url(int node) => $"amqp://guest:guest@localhost:{Ports[node - 1]}/";

    public Task StartAsync() => RunAsync(["start", prefix, .. Ports.Select(p => p.ToString())]);

    /// <summary>SIGKILL of node <paramref name="node"/>'s VM: a crash, without a clean shutdown.</summary>
    public Task KillNodeAsync(int node) => RunAsync(["kill-node", prefix, node.ToString()]);

    /// <summary>Stops every node and deletes their data.</summary>
    public async ValueTask DisposeAsync() => await RunAsync(["reset", prefix]);

    static Task RunAsync(string[] args) =>
        ScriptRunner.RunAsync(Path.Combine(BuildOutput.RepositoryRoot, "compose", "rabbitmq-cluster.sh"), args, CancellationToken.None);
}
