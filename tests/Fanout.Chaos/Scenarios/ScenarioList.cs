using Fanout.Chaos.Deployment;
using Fanout.Chaos.Faults;

namespace Fanout.Chaos.Scenarios;

/// <summary>
/// The faults of a run: all of them by default, a few for <c>--quick</c>, the long broker outage with <c>--long</c>;
/// on PostgreSQL no SQLite lock, and with two orchestrators first the kill of one of them; on a cluster
/// (<c>--cluster</c>) one node stopped cleanly, then one killed.
/// </summary>
public static class ScenarioList
{
    public static IReadOnlyList<IFault> For(ChaosOptions options)
    {
        if (options.ClusterPorts is not null)
            return [new ClusterNodeFault("cluster-node-stop", kill: false), new ClusterNodeFault("cluster-node-kill", kill: true)];
        IFault[] all =
        [
            new KillProcessFault(SystemProcesses.Orchestrator),
            new KillProcessFault(SystemProcesses.Targets),
            new KillProcessFault(SystemProcesses.Callbacks),
            new KillProcessFault(SystemProcesses.Gateway),
            new KillActiveFifoWorkerFault(),
            new PartitionFifoFault(),
            new BrokerRestartFault(),
            new BrokerKillFault("broker-kill", TimeSpan.FromSeconds(5)),
            new SqliteLockFault(),
            new PoisonFault(),
        ];
        if (options.Postgres is not null)
            all = all.Where(f => f is not SqliteLockFault).ToArray();
        if (options.Orchestrators > 1)
            all = [new KillOneOrchestratorFault(), .. all];
        if (options.Quick)
            all = all.Where(f => f.Name is "kill-orchestrator" or "kill-one-orchestrator" or "broker-restart" or "poison").ToArray();
        if (options.Long)
            all = [.. all, new BrokerKillFault("broker-outage", options.OutageLength)];
        return all;
    }
}
