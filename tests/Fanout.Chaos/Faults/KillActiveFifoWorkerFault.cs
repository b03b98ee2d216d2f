using System.Diagnostics;
using Fanout.Chaos.Deployment;
using Fanout.Chaos.Parts;
using Fanout.Fifo;

namespace Fanout.Chaos.Faults;

/// <summary>
/// SIGKILL of whichever FIFO worker is the single active consumer of the FIFO's queue (found through the broker's
/// consumer details and /proc), so the standby must take over; the killed one restarts as the new standby.
/// </summary>
public sealed class KillActiveFifoWorkerFault : IFault
{
    public string Name => "kill-fifo-active";

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var queue = FifoQueues.For(ChaosNames.Fifo);
        var workers = new[] { SystemProcesses.FifoA, SystemProcesses.FifoB };
        var port = await context.Management.ActiveConsumerPortAsync(queue, cancellationToken)
                   ?? throw new InvalidOperationException($"{queue} has no single active consumer");
        var pid = SocketOwner.Find(port, workers.Select(context.System.Pid))
                  ?? throw new InvalidOperationException($"no FIFO worker owns the connection from port {port}");
        var active = workers.Single(w => context.System.Pid(w) == pid);
        context.System.Kill(active);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var restart = Stopwatch.StartNew();
        await context.System.RestartAsync(active, cancellationToken);
        return $"SIGKILL active {active} (pid {pid}); restarted as standby in {restart.Elapsed.TotalSeconds:0.0} s";
    }
}
