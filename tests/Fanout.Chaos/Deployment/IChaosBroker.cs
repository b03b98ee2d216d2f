namespace Fanout.Chaos.Deployment;

/// <summary>
/// The broker a run deploys on: one private node (<see cref="PrivateBroker"/>) or a private cluster
/// (<see cref="PrivateCluster"/>). Started fresh, removed at the end.
/// </summary>
public interface IChaosBroker : IAsyncDisposable
{
    /// <summary>What every process gets as <c>FANOUT_RABBITMQ</c> (one URL, or the cluster's nodes comma-separated).</summary>
    string Url { get; }

    /// <summary>The management API the run watches queues through.</summary>
    Uri ManagementUrl { get; }

    /// <summary>Settings every process of the deployment (and the harness's own client) runs with, beside the URL.</summary>
    IReadOnlyDictionary<string, string> ClientSettings { get; }

    /// <summary>Removes what an earlier run left (the node's data) without starting anything.</summary>
    Task ResetAsync(CancellationToken cancellationToken);

    Task StartAsync(CancellationToken cancellationToken);
}
