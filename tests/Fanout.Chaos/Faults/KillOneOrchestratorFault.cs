using System.Diagnostics;
using Fanout.Chaos.Deployment;
using Fanout.Chaos.Ledger;

namespace Fanout.Chaos.Faults;

/// <summary>
/// With two orchestrators on one PostgreSQL database: SIGKILL one and leave it dead for <see cref="Absence"/> (longer
/// than a job lease lasts), so the other must take over its unacknowledged messages, its sweeper and relay duties and
/// finish its runs alone; then the killed one starts again. The row says how many runs finished meanwhile.
/// </summary>
public sealed class KillOneOrchestratorFault : IFault
{
    static readonly TimeSpan Absence = TimeSpan.FromSeconds(20);

    public string Name => "kill-one-orchestrator";

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var pid = context.System.Pid(SystemProcesses.Orchestrator);
        var finishedBefore = CallbackLedger.Read(context.Paths.Ledger).RunsFinished;
        context.System.Kill(SystemProcesses.Orchestrator);
        await Task.Delay(Absence, cancellationToken);
        var finishedAlone = CallbackLedger.Read(context.Paths.Ledger).RunsFinished - finishedBefore;
        var restart = Stopwatch.StartNew();
        await context.System.RestartAsync(SystemProcesses.Orchestrator, cancellationToken);
        return $"SIGKILL pid {pid} of 2 orchestrators; {finishedAlone} runs finished by the other in the {Absence.TotalSeconds:0} s before " +
               $"the restart (ready in {restart.Elapsed.TotalSeconds:0.0} s)";
    }
}
