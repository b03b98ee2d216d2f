using Fanout.Contracts;
using Fanout.Gateway.Live;
using Microsoft.Extensions.Time.Testing;

namespace Fanout.Tests.Gateway;

public sealed class RunProgressThrottleTests
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    readonly List<FanoutStateChanged> _sent = [];

    RunProgressThrottle Throttle(int maxFinished = 100) => new(_time, Interval, maxFinished, _sent.Add);

    static FanoutStateChanged Change(string change, int finished, string state = FanoutStates.Running,
        string cid = "run-1", params string[] targets) => new()
    {
        Change = change,
        Run = new FanoutSummary
        {
            Cid = cid, Mode = "parallel", State = state, Source = "test", TargetCount = 100,
            FinishedCount = finished, OnTarget = [], OnFinal = [], FinalCallbacks = "pending",
        },
        Finished = targets.Select(t => new FinishedTarget { Target = t, Status = "completed", Ok = true }).ToList(),
    };

    [Fact]
    public void Progress_within_the_interval_is_held_and_sent_once_with_the_newest_state_and_every_target()
    {
        using var throttle = Throttle();
        throttle.Offer(Change("started", 0));
        throttle.Offer(Change("progressed", 1, targets: "t1"));
        throttle.Offer(Change("progressed", 2, targets: "t2"));
        throttle.Offer(Change("progressed", 3, targets: "t3"));
        Assert.Equal(["started"], _sent.Select(c => c.Change));

        _time.Advance(Interval);

        Assert.Equal(2, _sent.Count);
        Assert.Equal(3, _sent[1].Run.FinishedCount);
        Assert.Equal(["t1", "t2", "t3"], _sent[1].Finished.Select(f => f.Target));
    }

    [Fact]
    public void Progress_after_a_quiet_interval_passes_at_once()
    {
        using var throttle = Throttle();
        throttle.Offer(Change("progressed", 1, targets: "t1"));
        _time.Advance(Interval);
        throttle.Offer(Change("progressed", 2, targets: "t2"));

        Assert.Equal([1, 2], _sent.Select(c => c.Run.FinishedCount));
    }

    [Fact]
    public void The_end_passes_at_once_with_the_targets_held_before_it_and_nothing_follows()
    {
        using var throttle = Throttle();
        throttle.Offer(Change("progressed", 1, targets: "t1"));
        throttle.Offer(Change("progressed", 2, targets: "t2"));
        throttle.Offer(Change("completed", 3, FanoutStates.Completed, targets: "t3"));

        Assert.Equal(["progressed", "completed"], _sent.Select(c => c.Change));
        Assert.Equal(["t2", "t3"], _sent[1].Finished.Select(f => f.Target));
        _time.Advance(Interval * 10);
        Assert.Equal(2, _sent.Count);
        Assert.Equal(0, throttle.Tracked);
    }

    [Fact]
    public void Runs_are_throttled_each_on_its_own_and_held_targets_are_capped_to_the_newest()
    {
        using var throttle = Throttle(maxFinished: 2);
        throttle.Offer(Change("progressed", 1, cid: "a", targets: "a1"));
        throttle.Offer(Change("progressed", 1, cid: "b", targets: "b1"));
        foreach (var t in new[] { "a2", "a3", "a4" })
            throttle.Offer(Change("progressed", 2, cid: "a", targets: t));

        Assert.Equal(["a", "b"], _sent.Select(c => c.Run.Cid));
        _time.Advance(Interval);
        Assert.Equal(["a3", "a4"], _sent[2].Finished.Select(f => f.Target));
        Assert.Equal(3, _sent.Count);
    }

    [Fact]
    public void Runs_that_went_quiet_are_forgotten()
    {
        using var throttle = Throttle();
        throttle.Offer(Change("progressed", 1, targets: "t1"));
        Assert.Equal(1, throttle.Tracked);

        _time.Advance(Interval * 5);

        Assert.Equal(0, throttle.Tracked);
    }
}
