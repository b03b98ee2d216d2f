using Fanout.Contracts;
using Fanout.Tests.Support;

namespace Fanout.Tests.Maps;

public class CompletionPolicyTests
{
    [Fact]
    public async Task Fail_fast_ends_the_run_at_the_first_failure_and_never_invokes_the_pending_calls()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        // One at a time, so the failure is recorded while eight calls are still pending.
        var calls = new[] { new Call { Service = "t.boom", Key = "img-007" } }.Concat(Maps.Calls("t.ok", 8));
        var request = Maps.Run("t.ok", calls, "cb.final1", "cb.final2") with { FailFast = true, MaxConcurrency = 1 };

        var cid = await Maps.Start(bus, request);

        var data = (await Maps.FinalPayload(bus, cid)).GetProperty("data");
        Assert.Single(bus.Recorder.Of("cb.final2", cid));
        Assert.Single(bus.Recorder.Of("t.ok", cid));
        Assert.Single(bus.Recorder.Of("t.boom", cid));
        Assert.StartsWith("System.InvalidOperationException: boom", data.GetProperty("img-007").GetProperty("exception").GetString());
        Assert.All(Enumerable.Range(0, 8), i =>
        {
            var cancelled = data.GetProperty($"t.ok#{i + 1}");
            Assert.False(cancelled.GetProperty("ok").GetBoolean());
            Assert.Equal("cancelled: fail_fast after 'img-007' failed", cancelled.GetProperty("exception").GetString());
        });

        var status = await Maps.Status(bus, cid);
        Assert.Equal((FanoutStates.Completed, true, 10, 9), (status.State, status.FailFast, status.FinishedCount, status.FailedCount));
        Assert.Equal(TargetStates.Cancelled, status.Targets["t.ok#5"].Status);
        Assert.Null(status.Targets["t.ok#5"].InvokedAtUtc);
    }

    [Fact]
    public async Task Fail_fast_cancels_calls_in_flight_and_ignores_their_late_results()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var calls = Maps.Calls("t.gated", 3).Append(new Call { Service = "t.boom", Key = "bad" });
        var request = Maps.Run("t.ok", calls, "cb.final1") with { FailFast = true, OnTarget = ["cb.target1"] };

        var cid = await Maps.Start(bus, request);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1" && i.Cid == cid));
        bus.Gate.Open();
        await bus.WaitForIdle();

        var data = Assert.Single(bus.Recorder.Of("cb.final1", cid)).Request.GetProperty("data");
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal("cancelled: fail_fast after 'bad' failed",
            data.GetProperty($"t.gated#{i}").GetProperty("exception").GetString()));
        // Per-target callbacks run for cancelled calls as for finished ones, once per key.
        var perTarget = bus.Recorder.Of("cb.target1", cid).Select(i => i.Request.GetProperty("target").GetString()).ToList();
        Assert.Equal(5, perTarget.Count);
        Assert.Equal(5, perTarget.Distinct().Count());
        Assert.Equal(3, bus.Recorder.Of("t.gated", cid).Count);
        var saga = await bus.FindSaga(cid);
        Assert.Equal(("Completed", 5), (saga!.CurrentState, saga.FinishedCount));
        // The plain t.ok target races t.boom: it finished ok or was cancelled with the gated calls.
        Assert.InRange(saga.FailedCount, 4, 5);
    }

    [Fact]
    public async Task Quorum_completes_the_run_once_enough_targets_ended_ok_and_cancels_the_rest()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var request = Maps.Run("t.ok", Maps.Calls("t.ok", 9), "cb.final1") with { Quorum = 3, MaxConcurrency = 1 };

        var cid = await Maps.Start(bus, request);

        var data = (await Maps.FinalPayload(bus, cid)).GetProperty("data");
        Assert.Equal(3, bus.Recorder.Of("t.ok", cid).Count);
        Assert.Equal(3, data.EnumerateObject().Count(p => p.Value.GetProperty("ok").GetBoolean()));
        Assert.All(data.EnumerateObject().Where(p => !p.Value.GetProperty("ok").GetBoolean()),
            p => Assert.Equal("cancelled: quorum of 3 reached", p.Value.GetProperty("exception").GetString()));
        var status = await Maps.Status(bus, cid);
        Assert.Equal((FanoutStates.Completed, 3, 10, 7), (status.State, status.Quorum, status.FinishedCount, status.FailedCount));
    }

    [Fact]
    public async Task Without_a_policy_a_failure_does_not_end_the_run()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var calls = new[] { new Call { Service = "t.boom", Key = "first" } }.Concat(Maps.Calls("t.ok", 4));

        var cid = await Maps.Start(bus, Maps.Run("t.ok", calls, "cb.final1") with { MaxConcurrency = 1 });

        var data = (await Maps.FinalPayload(bus, cid)).GetProperty("data");
        Assert.Equal(5, bus.Recorder.Of("t.ok", cid).Count);
        Assert.Equal(1, data.EnumerateObject().Count(p => !p.Value.GetProperty("ok").GetBoolean()));
    }
}
