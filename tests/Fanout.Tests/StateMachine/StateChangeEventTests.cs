using Fanout.Contracts;
using Fanout.Orchestrator.Runs;
using MapRuns = Fanout.Tests.Maps.Maps;
using Fanout.Tests.Support;
using MassTransit;

namespace Fanout.Tests.StateMachine;

/// <summary>The orchestrator announces every change of a run, so observers need no database.</summary>
public class StateChangeEventTests
{
    static List<FanoutStateChanged> Published(EmbeddedBus bus, string cid) =>
        bus.Harness.Published.Select<FanoutStateChanges>().SelectMany(m => m.Context.Message.Changes)
            .Where(e => e.Run.Cid == cid).ToList();

    /// <summary>Every change of the run once <paramref name="lastChange"/> was announced and the bus has gone idle.</summary>
    static async Task<List<FanoutStateChanged>> EventsOf(EmbeddedBus bus, string cid, string lastChange)
    {
        await Eventually.Until(() => Published(bus, cid), events => events.Any(e => e.Change == lastChange), $"a '{lastChange}' event for {cid}",
            describe: events => string.Join(", ", events.Select(e => e.Change)));
        // Anything announced after it (a repeat, a late change) has been published by the time the bus is idle.
        await bus.WaitForIdle();
        return Published(bus, cid).OrderBy(e => e.ChangedAtUtc).ToList();
    }

    [Fact]
    public async Task A_run_announces_its_start_each_finished_target_and_its_completion_once()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.ok"] = 1, ["t.boom"] = 2 }, ["cb.final1"]);

        var events = await EventsOf(bus, cid, FanoutStates.Completed);

        Assert.Equal(FanoutStateChanged.Started, events[0].Change);
        Assert.Equal((FanoutStates.Running, 2, 0), (events[0].Run.State, events[0].Run.TargetCount, events[0].Run.FinishedCount));
        Assert.Single(events, e => e.Change == FanoutStateChanged.Started);
        var completed = Assert.Single(events, e => e.Change == FanoutStates.Completed);
        Assert.Same(completed, events[^1]);
        Assert.Equal((2, 1, "requested"), (completed.Run.FinishedCount, completed.Run.FailedCount, completed.Run.FinalCallbacks));
        var finished = events.SelectMany(e => e.Finished).ToDictionary(t => t.Target);
        Assert.Equal(["t.boom", "t.ok"], finished.Keys.Order());
        Assert.True(finished["t.ok"].Ok);
        Assert.False(finished["t.boom"].Ok);
        Assert.Contains("InvalidOperationException", finished["t.boom"].Error);
        Assert.DoesNotContain('\n', finished["t.boom"].Error!);
    }

    [Fact]
    public async Task A_cancelled_run_announces_cancelled_with_the_targets_it_cut_short()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.deferred"] = 1 }, ["cb.final1"]);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "t.deferred" && i.Cid == cid));

        await bus.Harness.Bus.CreateRequestClient<CancelFanout>().GetResponse<CancelOutcome>(new CancelFanout { Cid = cid });

        var events = await EventsOf(bus, cid, FanoutStates.Cancelled);
        var cancelled = Assert.Single(events, e => e.Change == FanoutStates.Cancelled);
        var target = Assert.Single(cancelled.Finished);
        Assert.Equal(("t.deferred", TargetStates.Cancelled, false), (target.Target, target.Status, target.Ok));
        Assert.DoesNotContain(events, e => e.Change == FanoutStates.Completed);
    }

    // What finished lists: the targets the event's own message finished, capped.

    [Fact]
    public async Task A_fail_fast_end_lists_the_failure_then_the_targets_it_cancelled_each_target_once_per_run()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        // One at a time: the failure's message records it, then cancels the eight calls still pending.
        var calls = new[] { new Call { Service = "t.boom", Key = "img-007" } }.Concat(MapRuns.Calls("t.ok", 8));
        var request = MapRuns.Run("t.ok", calls, "cb.final1") with { FailFast = true, MaxConcurrency = 1 };

        var cid = await MapRuns.Start(bus, request);
        await MapRuns.FinalPayload(bus, cid);

        var events = Published(bus, cid).OrderBy(e => e.ChangedAtUtc).ToList();
        var completed = Assert.Single(events, e => e.Change == FanoutStates.Completed);
        Assert.Equal(("img-007", false, TargetStates.Completed),
            (completed.Finished[0].Target, completed.Finished[0].Ok, completed.Finished[0].Status));
        Assert.Equal(8, completed.Finished.Skip(1).Count(t => t.Status == TargetStates.Cancelled && !t.Ok));
        var listed = events.SelectMany(e => e.Finished).Select(t => t.Target).ToList();
        Assert.Equal(10, listed.Count);
        Assert.Equal(10, listed.Distinct().Count());
    }

    [Fact]
    public async Task A_run_ending_with_more_unfinished_targets_than_listed_lists_the_first_ones_and_counts_all()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await MapRuns.Start(bus, MapRuns.Run("t.gated", MapRuns.Calls("t.gated", 150), "cb.final1"));

        await bus.Harness.Bus.CreateRequestClient<CancelFanout>()
            .GetResponse<CancelOutcome>(new CancelFanout { Cid = cid });
        // The gated calls hold their receives until the gate opens: wait for the final callback, not for idle.
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1" && i.Cid == cid));
        bus.Gate.Open();
        await bus.WaitForIdle();

        var cancelled = Assert.Single(Published(bus, cid), e => e.Change == FanoutStates.Cancelled);
        Assert.Equal(FanoutSaga.MaxFinishedListed, cancelled.Finished.Count);
        Assert.All(cancelled.Finished, t => Assert.Equal(TargetStates.Cancelled, t.Status));
        Assert.Equal((151, 151), (cancelled.Run.FinishedCount, cancelled.Run.FailedCount));
    }
}
