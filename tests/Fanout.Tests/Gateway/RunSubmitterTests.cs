using Fanout.Contracts;
using Fanout.Gateway.Routes;
using Fanout.Orchestrator.StateMachines;
using Fanout.Tests.Calls;
using Fanout.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using static Fanout.Tests.Gateway.GatewayRequests;

namespace Fanout.Tests.Gateway;

/// <summary>
/// Run submissions that arrive while the gateway's requests are out leave together, as one <see cref="InvokeFanouts"/>;
/// each HTTP caller still gets its own answer.
/// </summary>
public class RunSubmitterTests
{
    static string Body(string cid) => $$"""{"cid":"{{cid}}","targets":{"nobody.a":1},"on_final":["cb.final1"]}""";

    [Fact]
    public async Task Submissions_arriving_while_every_request_is_out_leave_as_one_message()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        using var submitter = new RunSubmitter(bus.Harness.Bus,
            new Fanout.Gateway.GatewaySettings { OrchestratorTimeout = TimeSpan.FromSeconds(20) });
        await submitter.StartAsync(CancellationToken.None);
        var locks = bus.Services.GetRequiredService<RunLocks>();
        // Counted as they leave: the harness's own lists wait for the bus to fall idle, and held requests keep it busy.
        var observer = new BusObserver();
        using var _ = bus.Harness.Bus.ConnectPublishObserver(observer);
        int Batches() => observer.Published<InvokeFanouts>().Count;

        // Each held run's lock keeps its request out: one lone submission after another, each leaving at once alone.
        var held = new List<IDisposable>();
        var first = new List<Task<IResult>>();
        List<Task<IResult>> later;
        try
        {
            for (var i = 0; i < 4; i++)
            {
                held.Add(await locks.EnterAsync($"held-{i}", CancellationToken.None));
                first.Add(Submit(Body($"held-{i}"), submitter));
                var sent = i + 1;
                await Eventually.Until(Batches, n => n == sent, $"{sent} requests out");
            }

            later = Enumerable.Range(0, 10).Select(i => Submit(Body($"later-{i}"), submitter)).ToList();
            await Eventually.Until(() => submitter.Waiting, n => n == 10, "ten submissions waiting for a request");
            Assert.Equal(4, Batches());
        }
        finally
        {
            held.ForEach(h => h.Dispose());
        }

        var results = await Task.WhenAll(first.Concat(later));
        var cids = results.Select(r => Assert.IsType<Accepted<AcceptedRun>>(r).Value!.Cid).ToList();
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"held-{i}").Concat(Enumerable.Range(0, 10).Select(i => $"later-{i}")), cids);
        var batches = observer.Published<InvokeFanouts>().Select(m => m.Runs.Count).ToList();
        Assert.Equal([1, 1, 1, 1, 10], batches);
    }

    [Fact]
    public async Task A_refused_run_in_a_shared_request_is_its_callers_409_alone()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["nobody.x"] = 1 }, ["cb.final1"], cid: "gw-taken");
        using var submitter = new RunSubmitter(bus.Harness.Bus,
            new Fanout.Gateway.GatewaySettings { OrchestratorTimeout = TimeSpan.FromSeconds(20) });
        await submitter.StartAsync(CancellationToken.None);

        var results = await Task.WhenAll(new[] { "gw-free-1", "gw-taken", "gw-free-2" }.Select(cid => Submit(Body(cid), submitter)));

        Assert.Equal("gw-free-1", Assert.IsType<Accepted<AcceptedRun>>(results[0]).Value!.Cid);
        var conflict = Problem(results[1]);
        Assert.Equal((409, "duplicate_cid"), (conflict.StatusCode, Assert.Single(Errors(conflict)).Code));
        Assert.Contains("gw-taken", conflict.ProblemDetails.Detail);
        Assert.Equal("gw-free-2", Assert.IsType<Accepted<AcceptedRun>>(results[2]).Value!.Cid);
    }

    static async Task<IResult> Submit(string body, RunSubmitter submitter) =>
        (await FanoutRoutes.SubmitFanout(Post(body), Json, submitter, TimeProvider.System)).Result;
}
