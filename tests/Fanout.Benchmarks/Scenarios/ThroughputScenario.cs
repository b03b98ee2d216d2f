using Fanout.Benchmarks.Measuring;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// <c>throughput_200x10</c>: 200 fan-outs of 10 distinct targets submitted at once (concurrent InvokeAsync calls).
/// targets/s counts from the first submit to the last final callback; p50/p99 are per run, submit → its final callback.
/// </summary>
public sealed class ThroughputScenario(int fanouts, int targetsEach) : IScenario
{
    public string Name => $"throughput_{fanouts}x{targetsEach}";

    public async Task<ScenarioRun> RunOnceAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var cids = Cids.Fresh("throughput", fanouts);
        var submitted = new long[fanouts];
        var start = Clock.Now;
        await Submissions.AllAtOnceAsync(fanouts, async i =>
        {
            submitted[i] = Clock.Now;
            await TenTargetRun.Submit(context, cids[i], cancellationToken);
            return cids[i];
        }, "fan-outs", cancellationToken);
        var arrived = await context.Client.Observed.Finals.WaitAllAsync(cids, cancellationToken);

        var latencies = arrived.Select((t, i) => Clock.Ms(submitted[i], t)).ToArray();
        return new ScenarioRun(new Dictionary<string, double>
        {
            ["targets_per_s"] = fanouts * targetsEach / Clock.Seconds(start, arrived.Max()),
            ["p50_ms"] = Percentiles.Of(latencies, 50),
            ["p99_ms"] = Percentiles.Of(latencies, 99),
        })
        {
            Runs = fanouts,
            Targets = fanouts * targetsEach,
        };
    }
}
