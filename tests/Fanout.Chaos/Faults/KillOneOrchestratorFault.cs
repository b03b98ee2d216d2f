using System.Diagnostics;
using Fanout.Bus.Hosting.Calls;
using Fanout.Chaos.Deployment;
using Fanout.Chaos.Ledger;

namespace Fanout.Chaos.Faults;

/// <summary>
/// With two orchestrators on one PostgreSQL database: SIGKILL the one applying results (the active consumer of
/// <see cref="ResultQueue.Name"/>, found through the broker's consumer details and /proc) and leave it dead for
/// <see cref="Absence"/> (longer than a job lease lasts), so the other must take over the results queue, its
/// unacknowledged messages, its sweeper and relay duties and finish its runs alone; then the killed one starts again.
/// The row says how many runs finished meanwhile.
/// </summary>
public sealed class KillOneOrchestratorFault : IFault
{
    static readonly TimeSpan Absence = TimeSpan.FromSeconds(20);

    public string Name => "kill-one-orchestrator";

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var orchestrators = new[] { SystemProcesses.Orchestrator, SystemProcesses.SecondOrchestrator };
        var port = await context.Management.ActiveConsumerPortAsync(ResultQueue.Name, cancellationToken)
                   ?? throw new InvalidOperationException($"{ResultQueue.Name} has no single active consumer");
        var pid = SocketOwner.Find(port, orchestrators.Select(context.System.Pid))
                  ?? throw new InvalidOperationException($"no orchestrator owns the connection from port {port}");
        var active = orchestrators.Single(o => context.System.Pid(o) == pid);
        var finishedBefore = CallbackLedger.Read(context.Paths.Ledger).RunsFinished;
        context.System.Kill(active);
        await Task.Delay(Absence, cancellationToken);
        var finishedAlone = CallbackLedger.Read(context.Paths.Ledger).RunsFinished - finishedBefore;
        var restart = Stopwatch.StartNew();
        await context.System.RestartAsync(active, cancellationToken);
        return $"SIGKILL {active} (pid {pid}) of 2 orchestrators, the one applying results; {finishedAlone} runs " +
               $"finished by the other in the {Absence.TotalSeconds:0} s before the restart (ready in " +
               $"{restart.Elapsed.TotalSeconds:0.0} s)";
    }
}
