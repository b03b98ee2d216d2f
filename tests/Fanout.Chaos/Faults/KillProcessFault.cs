using System.Diagnostics;
using Fanout.Chaos.Deployment;

namespace Fanout.Chaos.Faults;

/// <summary>SIGKILL of one process, then, a second later, the same program started again as a supervisor would.</summary>
public sealed class KillProcessFault(string process) : IFault
{
    static readonly TimeSpan SupervisorDelay = TimeSpan.FromSeconds(1);

    public string Name => $"kill-{process}";

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var pid = context.System.Pid(process);
        context.System.Kill(process);
        await Task.Delay(SupervisorDelay, cancellationToken);
        var restart = Stopwatch.StartNew();
        await context.System.RestartAsync(process, cancellationToken);
        return $"SIGKILL pid {pid}; restarted, ready in {restart.Elapsed.TotalSeconds:0.0} s";
    }
}
