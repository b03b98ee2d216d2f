using Fanout.Benchmarks.Measuring;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// <c>latency_1x10</c>: one 10-target fan-out at a time on an otherwise idle system, submit → final callback;
/// the first few are warm-up and not counted.
/// </summary>
public sealed class LatencyScenario(int warmups, int runs) : IScenario
{
    public string Name => "latency_1x10";

    public async Task<ScenarioRun> RunOnceAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var cids = Cids.Fresh("latency", warmups + runs);
        var latencies = new List<double>(runs);
        for (var i = 0; i < cids.Length; i++)
        {
            var submitted = Clock.Now;
            await TenTargetRun.Submit(context, cids[i], cancellationToken);
            var arrived = await context.Client.Observed.Finals.WaitAsync(cids[i], cancellationToken);
            if (i >= warmups)
                latencies.Add(Clock.Ms(submitted, arrived));
        }

        return new ScenarioRun(new Dictionary<string, double>
        {
            ["p50_ms"] = Percentiles.Of(latencies, 50),
            ["p99_ms"] = Percentiles.Of(latencies, 99),
        })
        {
            Runs = cids.Length,
            Targets = cids.Length * TenTargetRun.Targets.Count,
        };
    }
}
