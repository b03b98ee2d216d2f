using Fanout.Bus.Hosting.Calls;
using Microsoft.Extensions.Time.Testing;

namespace Fanout.Tests.Hosting;

/// <summary>A host's call counts: running now, finished in the last minute (sliding), and since start.</summary>
public sealed class CallCountersTests
{
    [Fact]
    public void Calls_leave_the_last_minute_after_sixty_seconds_and_stay_in_the_totals()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var counters = new CallCounters(time);
        var calls = counters.For("svc");
        calls.Started();
        calls.Started();
        calls.Finished(ok: true);
        calls.Stopped();
        time.Advance(TimeSpan.FromSeconds(30));
        calls.Finished(ok: false);

        var snapshot = counters.Snapshot(["svc", "idle"]);
        Assert.Equal((1, 2L, 1L, 2L, 1L), Tuple(snapshot["svc"]));
        Assert.Equal((0, 0L, 0L, 0L, 0L), Tuple(snapshot["idle"]));

        time.Advance(TimeSpan.FromSeconds(31)); // the first call is 61 s old, the failure 31 s
        Assert.Equal((1, 1L, 1L, 2L, 1L), Tuple(calls.Snapshot()));
        time.Advance(TimeSpan.FromSeconds(30));
        calls.Stopped();
        Assert.Equal((0, 0L, 0L, 2L, 1L), Tuple(calls.Snapshot()));
    }

    [Fact]
    public void A_bucket_reused_a_minute_later_forgets_its_old_calls()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var calls = new CallCounters(time).For("svc");
        calls.Finished(ok: false);
        calls.Finished(ok: false);
        time.Advance(TimeSpan.FromSeconds(60)); // same one-second slot, next minute

        calls.Finished(ok: true);

        Assert.Equal((0, 1L, 0L, 3L, 2L), Tuple(calls.Snapshot()));
    }

    static (int, long, long, long, long) Tuple(Fanout.Contracts.ServiceCallCounts c) =>
        (c.InFlight, c.CallsLastMinute, c.FailuresLastMinute, c.CallsTotal, c.FailuresTotal);
}
