using System.Diagnostics;
using Fanout.Contracts;
using Fanout.Tests.Support;

namespace Fanout.Tests.Patterns;

/// <summary>Results back to the caller: InvokeAndWaitAsync and WaitForResultAsync on the embedded bus.</summary>
public class RunResultTests
{
    sealed record Echoed(EchoRequest Echo, string Cid);
    sealed record EchoRequest(int N);

    [Fact]
    public async Task InvokeAndWait_returns_every_result_typed_once_the_run_ended()
    {
        await using var bus = await EmbeddedBus.StartAsync();

        var result = await bus.Patterns.Fanout.InvokeAndWaitAsync(
            new Dictionary<string, object?> { ["t.ok"] = new { n = 7 }, ["t.boom"] = null }, ["cb.final1"],
            cid: "wait-1", timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(("wait-1", FanoutStates.Completed, false), (result.Cid, result.State, result.AllOk));
        Assert.Equal(["t.ok", "t.boom"], result.Results.Keys);
        var typed = result.As<Echoed>();
        Assert.Equal((true, 7, "wait-1"), (typed.Results["t.ok"].Ok, typed.Results["t.ok"].Value!.Echo.N, typed.Results["t.ok"].Value!.Cid));
        var failed = typed.Results["t.boom"];
        Assert.False(failed.Ok);
        Assert.Null(failed.Value);
        Assert.Contains("boom from t.boom", failed.Exception);
    }

    [Fact]
    public async Task A_run_still_running_after_the_timeout_throws_and_can_be_waited_for_again()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.gated"] = null }, ["cb.final1"]);

        var timedOut = await Assert.ThrowsAsync<TimeoutException>(() => bus.Patterns.WaitForResultAsync(cid, TimeSpan.FromMilliseconds(300)));
        Assert.Contains($"Run '{cid}' is still running", timedOut.Message);

        var waiting = bus.Patterns.WaitForResultAsync(cid, TimeSpan.FromSeconds(30));
        bus.Gate.Open();
        var watch = Stopwatch.StartNew();
        var result = await waiting;

        Assert.Equal(FanoutStates.Completed, result.State);
        Assert.True(result.Results["t.gated"].Ok);
        // The state-change event ends the wait, not the next poll (every 2 s) or the timeout.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Waiting_for_a_run_that_already_ended_returns_at_once()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var first = await bus.Patterns.Fanout.InvokeAndWaitAsync(new Dictionary<string, object?> { ["t.ok"] = 1 }, ["cb.final1"]);

        // The timeout only bounds a wait that would hang; an ended run's result is read in one query.
        var again = await bus.Patterns.WaitForResultAsync(first.Cid, TimeSpan.FromSeconds(10));

        Assert.Equal(first.Results.Keys, again.Results.Keys);
    }

    [Fact]
    public async Task Waiting_for_an_unknown_run_says_so() =>
        Assert.Contains("No run with CID 'no-such-run'",
            (await Assert.ThrowsAsync<KeyNotFoundException>(() => EmbeddedWait("no-such-run"))).Message);

    static async Task EmbeddedWait(string cid)
    {
        await using var bus = await EmbeddedBus.StartAsync();
        await bus.Patterns.WaitForResultAsync(cid, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_refused_map_throws_before_anything_is_sent()
    {
        await using var bus = await EmbeddedBus.StartAsync();

        var refused = await Assert.ThrowsAsync<Fanout.Bus.Patterns.FanoutRequestException>(() =>
            bus.Patterns.Fanout.MapAsync("bad name", [1, 2], ["cb.final1"], options: new() { FailFast = true, Quorum = 1 }));

        Assert.Contains("calls[0]: service name 'bad name' is invalid", refused.Message);
        Assert.Contains("fail_fast and quorum cannot be combined", refused.Message);
    }
}
