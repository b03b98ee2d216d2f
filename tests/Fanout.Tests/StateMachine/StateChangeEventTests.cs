using Fanout.Contracts;
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
}
