using Fanout.Benchmarks.Client;
using Fanout.Benchmarks.Measuring;
using MassTransit;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// <c>ceiling_mt_pairs</c>: plain MassTransit request→reply pairs on the same broker and bus settings as the services
/// (persistent messages, publisher confirms, the same prefetch), from many concurrent requesters for a fixed window.
/// A fan-out target costs at least such a pair (invocation out, completion back), so this bounds targets/s.
/// </summary>
public sealed class CeilingScenario : IScenario
{
    public string Name => "ceiling_mt_pairs";

    public async Task<ScenarioRun> RunOnceAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var client = context.Client.Bus.CreateRequestClient<CeilingPing>(new Uri($"queue:{BenchServices.CeilingQueue}"));
        // Untimed: the first request declares the queue's send endpoint and the reply queue.
        await client.GetResponse<CeilingPong>(new CeilingPing(-1), cancellationToken);

        var pairs = 0;
        var start = Clock.Now;
        var stopAt = Clock.After(start, context.Profile.CeilingWindow);
        await Task.WhenAll(Enumerable.Range(0, context.Profile.CeilingRequesters).Select(async requester =>
        {
            while (Clock.Now < stopAt)
            {
                await client.GetResponse<CeilingPong>(new CeilingPing(requester), cancellationToken);
                Interlocked.Increment(ref pairs);
            }
        }));
        return new ScenarioRun(new Dictionary<string, double>
        {
            ["pairs_per_s"] = pairs / Clock.Seconds(start, Clock.Now),
        });
    }
}
