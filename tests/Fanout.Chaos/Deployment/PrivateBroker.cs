using Fanout.Testing.Processes;
namespace Fanout.Chaos.Deployment;

/// <summary>
/// The run's own RabbitMQ node (compose/rabbitmq-node.sh, node <c>chaos</c> + port), so stopping and killing a broker
/// never touches the default one on 5672. Started fresh (its data from an earlier run removed) and removed at the end.
/// </summary>
public sealed class PrivateBroker(ChaosPaths paths, int port) : IChaosBroker
{
    /// <summary>Named after its port: nodes of runs on other ports of one machine are other nodes.</summary>
    readonly string Node = $"chaos{port}";

    public string Url { get; private set; } = "";
    public Uri ManagementUrl => new($"http://localhost:{port + 10000}/");

    public IReadOnlyDictionary<string, string> ClientSettings { get; } = new Dictionary<string, string>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var output = await Run(["start", Node, port.ToString()], cancellationToken);
        Url = output.Trim().Split('\n')[^1];
    }

    /// <summary>Stops the RabbitMQ application (the Erlang VM stays): connections drop, durable queues stay.</summary>
    public Task StopAppAsync(CancellationToken cancellationToken) => Run(["stop_app", Node], cancellationToken);

    public Task StartAppAsync(CancellationToken cancellationToken) => Run(["start_app", Node], cancellationToken);

    /// <summary>SIGKILL of the broker's VM: a crash, without a clean shutdown.</summary>
    public Task KillAsync(CancellationToken cancellationToken) => Run(["kill", Node], cancellationToken);

    /// <summary>Stops the node and deletes its data: a fresh broker for the next run.</summary>
    public Task ResetAsync(CancellationToken cancellationToken) => Run(["reset", Node], cancellationToken);

    Task<string> Run(string[] args, CancellationToken cancellationToken) => ScriptRunner.RunAsync(paths.NodeScript, args, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ResetAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"chaos: could not remove broker node {Node}: {ex.Message}");
        }
    }
}
