using System.Text.Json;
using Fanout.Contracts;
using Fanout.Tests.Support;

namespace Fanout.Tests.StateMachine;

public class FanoutTests
{
    static Dictionary<string, object?> Targets(params string[] names) =>
        names.ToDictionary(n => n, n => (object?)new { hello = $"to-{n}" });

    [Fact]
    public async Task Fanout_returns_the_user_cid_and_final_callbacks_fire_once_with_every_result()
    {
        await using var bus = await EmbeddedBus.StartAsync();

        var cid = await bus.Patterns.Fanout.InvokeAsync(Targets("t.ok", "t.boom"), ["cb.final1", "cb.final2"], cid: "user-cid-1");

        Assert.Equal("user-cid-1", cid);
        await bus.Recorder.WaitFor(all => all.Count(i => i.Channel == Channels.FanoutOnFinal) == 2);
        await bus.WaitForIdle();
        Assert.Equal(2, bus.Recorder.All.Count(i => i.Channel == Channels.FanoutOnFinal));
        foreach (var callback in new[] { "cb.final1", "cb.final2" })
        {
            var payload = Assert.Single(bus.Recorder.Of(callback)).Request;
            Assert.Equal("tests", payload.GetProperty("source").GetString());
            Assert.Equal(["cb.final1", "cb.final2"], payload.GetProperty("on_final").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(0, payload.GetProperty("on_target").GetArrayLength());
            var data = payload.GetProperty("data");
            Assert.True(data.GetProperty("t.ok").GetProperty("ok").GetBoolean());
            Assert.Equal("to-t.ok", data.GetProperty("t.ok").GetProperty("response").GetProperty("echo").GetProperty("hello").GetString());
            Assert.False(data.GetProperty("t.boom").GetProperty("ok").GetBoolean());
            Assert.EndsWith("Z", payload.GetProperty("req_ts_utc").GetString());
        }

        var saga = await bus.FindSaga(cid);
        Assert.Equal("Completed", saga!.CurrentState);
        Assert.Equal((2, 2, 1), (saga.TargetCount, saga.FinishedCount, saga.FailedCount));
        Assert.DoesNotContain(bus.Recorder.All, i => i.Channel == Channels.FanoutOnTarget);
        // The unnamed observer saw both callbacks without being one.
        await bus.Recorder.WaitFor(all => all.Count(i => i.Service.StartsWith("observer:") && i.Cid == cid) == 2);
    }

    [Fact]
    public async Task Parallel_runs_every_callback_after_each_target()
    {
        await using var bus = await EmbeddedBus.StartAsync();

        var cid = await bus.Patterns.Parallel.InvokeAsync(Targets("t.ok", "t.boom"), ["cb.target1", "cb.target2"]);

        await bus.Recorder.WaitFor(all => all.Count(i => i.Channel == Channels.ParallelExecOnTarget) == 4);
        foreach (var callback in new[] { "cb.target1", "cb.target2" })
        {
            var calls = bus.Recorder.Of(callback, cid);
            Assert.Equal(["t.boom", "t.ok"], calls.Select(c => c.Request.GetProperty("target").GetString()).Order());
            Assert.All(calls, c => Assert.Equal(Channels.ParallelExecOnTarget, c.Channel));
            Assert.All(calls, c => Assert.Equal(
                ["source", "target", "response", "req_ts_utc", "resp_ts_utc", "ok", "exception", "cid"],
                c.Request.EnumerateObject().Select(p => p.Name)));
        }

        var targets = bus.Recorder.All.Where(i => i.Channel == Channels.ParallelExecCall).ToList();
        Assert.Equal(2, targets.Count);
        Assert.All(targets, t => Assert.Equal((cid, "tests"), (t.Cid, t.Source)));
    }

    [Fact]
    public async Task A_throwing_target_is_reported_not_ok_with_the_full_exception_and_callbacks_still_run()
    {
        await using var bus = await EmbeddedBus.StartAsync();

        var cid = await bus.Patterns.Fanout.InvokeAsync(Targets("t.boom"), ["cb.final1"], ["cb.target1"]);

        // Target and final callbacks travel on queues of their own: either may arrive first.
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1") && all.Any(i => i.Service == "cb.target1"));
        await bus.WaitForIdle();
        var onTarget = Assert.Single(bus.Recorder.Of("cb.target1", cid));
        Assert.Equal(Channels.FanoutOnTarget, onTarget.Channel);
        Assert.False(onTarget.Request.GetProperty("ok").GetBoolean());
        var exception = onTarget.Request.GetProperty("exception").GetString()!;
        Assert.StartsWith("System.InvalidOperationException: boom from t.boom", exception);
        Assert.Contains(" at ", exception);
        Assert.Equal(JsonValueKind.Null, onTarget.Request.GetProperty("response").ValueKind);
    }

    [Fact]
    public async Task Targets_see_the_cid_the_source_and_their_channel()
    {
        await using var bus = await EmbeddedBus.StartAsync();

        var fanout = await bus.Patterns.Fanout.InvokeAsync(Targets("t.ok"), ["cb.final1"]);
        var parallel = await bus.Patterns.Parallel.InvokeAsync(Targets("t.ok"), ["cb.target1"]);

        await bus.Recorder.WaitFor(all => bus.Recorder.Of("t.ok").Count == 2);
        Assert.Equal(Channels.FanoutCall, Assert.Single(bus.Recorder.Of("t.ok", fanout)).Channel);
        Assert.Equal(Channels.ParallelExecCall, Assert.Single(bus.Recorder.Of("t.ok", parallel)).Channel);
        Assert.NotEqual(fanout, parallel);
        Assert.Equal(32, fanout.Length);
    }
}
