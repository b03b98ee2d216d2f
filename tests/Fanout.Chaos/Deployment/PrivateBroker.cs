using Fanout.Testing.Processes;
namespace Fanout.Chaos.Deployment;

/// <summary>
/// The run's own RabbitMQ node (compose/rabbitmq-node.sh, node <c>chaos5702</c> for port 5702), so stopping and
/// killing a broker never touches the default one on 5672. Started fresh (its data from an earlier run removed) and
/// removed at the end; its log is kept beside the processes' logs.
/// </summary>
public sealed class PrivateBroker(ChaosPaths paths, int port) : IChaosBroker
{
    /// <summary>
    /// Erlang node names are host-wide: with one name for every port, a second run's <c>rabbitmqctl stop_app</c> or
    /// <c>reset</c> stopped the first run's broker, and its node could not start at all. The port keeps them apart.
    /// </summary>
    readonly string _node = $"chaos{port}";

    public string Url { get; private set; } = "";
    public Uri ManagementUrl => new($"http://localhost:{port + 10000}/");

    public IReadOnlyDictionary<string, string> ClientSettings { get; } = new Dictionary<string, string>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var output = await Run(["start", _node, port.ToString()], cancellationToken);
        Url = output.Trim().Split('\n')[^1];
    }

    /// <summary>Stops the RabbitMQ application (the Erlang VM stays): connections drop, durable queues stay.</summary>
    public Task StopAppAsync(CancellationToken cancellationToken) => Run(["stop_app", _node], cancellationToken);

    public Task StartAppAsync(CancellationToken cancellationToken) => Run(["start_app", _node], cancellationToken);

    /// <summary>SIGKILL of the broker's VM: a crash, without a clean shutdown.</summary>
    public Task KillAsync(CancellationToken cancellationToken) => Run(["kill", _node], cancellationToken);

    /// <summary>Stops the node and deletes its data: a fresh broker for the next run.</summary>
    public Task ResetAsync(CancellationToken cancellationToken) => Run(["reset", _node], cancellationToken);

    Task<string> Run(string[] args, CancellationToken cancellationToken) => ScriptRunner.RunAsync(paths.NodeScript, args, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            KeepLog();
            await ResetAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"chaos: could not remove broker node {_node}: {ex.Message}");
        }
    }

    /// <summary>
    /// The node's log (connections closed, consumers cancelled) as <c>logs/broker.log</c>: a reset deletes the
    /// node's data.
    /// </summary>
    void KeepLog()
    {
        var log = Path.Combine(paths.Root, ".run", "rabbitmq", _node, "log", $"{_node}@localhost.log");
        if (File.Exists(log))
            File.Copy(log, Path.Combine(paths.LogDirectory, "broker.log"), overwrite: true);
    }
}
