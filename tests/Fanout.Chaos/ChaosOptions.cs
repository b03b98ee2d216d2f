namespace Fanout.Chaos;

/// <summary>How big the load is, which scenarios run and how long recovery may take.</summary>
public sealed record ChaosOptions
{
    /// <summary>Fan-outs per scenario, each to <see cref="Parts.ChaosNames.TargetCount"/> targets.</summary>
    public int Fanouts { get; init; } = 500;

    /// <summary>FIFO orders per scenario, submitted beside the fan-outs.</summary>
    public int Orders { get; init; } = 200;

    /// <summary>Every endpoint must consume again within this after the fault ended (the killed process restarted).</summary>
    public TimeSpan RecoveryLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every accepted run and order must have finished within this after the fault.</summary>
    public TimeSpan DrainLimit { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>How long the broker stays down in the <c>broker-outage</c> scenario.</summary>
    public TimeSpan OutageLength { get; init; } = TimeSpan.FromSeconds(150);

    public bool Quick { get; init; }
    public bool Long { get; init; }
    public IReadOnlyCollection<string>? Only { get; init; }
    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>A PostgreSQL server (Npgsql connection string without a database) to store in instead of SQLite files.</summary>
    public string? Postgres { get; init; }

    /// <summary>Orchestrator processes on the one database (more than one needs <see cref="Postgres"/>).</summary>
    public int Orchestrators { get; init; } = 1;

    /// <summary>AMQP port of the private broker node the run starts (its UI is on port + 10000).</summary>
    public int BrokerPort { get; init; } = 5702;

    /// <summary>
    /// With <c>--cluster 5711,5712,5713</c>: the deployment runs on a private cluster of those nodes with quorum queues,
    /// and the scenarios are the cluster's (one node stopped, one node killed) instead of the single node's.
    /// </summary>
    public IReadOnlyList<int>? ClusterPorts { get; init; }

    /// <summary>The options for quick or full runs, before the command line's other options apply.</summary>
    public static ChaosOptions For(bool quick) => quick
        ? new ChaosOptions { Quick = true, Fanouts = 100, Orders = 40, DrainLimit = TimeSpan.FromSeconds(90) }
        : new ChaosOptions();

    /// <summary>
    /// Losing a node moves every connection and every quorum queue leader it had onto the other nodes, all on one
    /// shared 2-core machine: a cluster run allows a minute to be consuming and healthy again.
    /// </summary>
    public ChaosOptions ForCluster() =>
        ClusterPorts is null ? this : this with { RecoveryLimit = TimeSpan.FromSeconds(60) };
}
