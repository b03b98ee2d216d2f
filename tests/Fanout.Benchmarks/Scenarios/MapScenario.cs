using System.Text.Json;
using Fanout.Benchmarks.Client;
using Fanout.Benchmarks.Measuring;
using Fanout.Benchmarks.Processes;
using Fanout.Contracts;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// <c>map_N</c>: one run of N calls to one service (<c>InvokeFanout.Calls</c>), submit → final callback. With
/// <paramref name="measureMemory"/>, also the orchestrator's peak resident memory during the run.
/// </summary>
public sealed class MapScenario(int calls, bool measureMemory) : IScenario
{
    public string Name => $"map_{calls}";

    public async Task<ScenarioRun> RunOnceAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var cid = Cids.Fresh("map", 1)[0];
        // Built before the clock starts: the caller's cost of making its request is not the system's.
        var request = new InvokeFanout
        {
            Cid = cid,
            Calls = Enumerable.Range(0, calls)
                .Select(i => new Call { Service = BenchServices.MapTarget, Request = JsonSerializer.SerializeToElement(new { i }) })
                .ToList(),
            OnFinal = [BenchServices.FinalCallback],
        };
        var orchestrator = context.System.Orchestrator.Id;
        if (measureMemory && !PeakMemory.Reset(orchestrator))
            BenchContext.Progress($"{Name}: cannot reset the orchestrator's peak RSS here; it covers the process's whole life");

        var submitted = Clock.Now;
        try
        {
            await context.Client.Patterns.InvokeAsync(request, cancellationToken);
            var arrived = await context.Client.Observed.Finals.WaitAsync(cid, cancellationToken);
            var metrics = new Dictionary<string, double> { ["wall_s"] = Clock.Seconds(submitted, arrived) };
            if (measureMemory)
                metrics["orchestrator_rss_mb"] = PeakMemory.PeakMb(orchestrator);
            return new ScenarioRun(metrics) { Runs = 1, Targets = calls };
        }
        catch (OperationCanceledException)
        {
            // A run left going would load every later scenario: ask the orchestrator to end it.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await context.Client.Bus.Publish(new CancelFanout { Cid = cid, Reason = "benchmark run timed out" }, bounded.Token);
            throw;
        }
    }
}
