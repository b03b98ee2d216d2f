using Fanout.Gateway.Live;

namespace Fanout.Tests.Gateway;

public sealed class EventLogTests
{
    static LiveEvent Run(string cid, string state = "running") =>
        new(LiveEvent.Run, $"{{\"cid\":\"{cid}\"}}", cid, state);

    [Fact]
    public void Events_get_growing_ids_and_a_reader_gets_those_after_its_position()
    {
        var log = new EventLog(10);
        foreach (var cid in new[] { "a", "b", "c" })
            log.Append(Run(cid));

        Assert.Equal(3, log.LastId);
        Assert.Equal(["b", "c"], log.After(1).Events.Select(e => e.Cid));
        Assert.Equal([2L, 3L], log.After(1).Events.Select(e => e.Id));
        Assert.Empty(log.After(3).Events);
    }

    [Fact]
    public void A_full_ring_drops_the_oldest_and_a_reader_behind_it_resumes_at_the_oldest_held()
    {
        var log = new EventLog(3);
        for (var i = 1; i <= 5; i++)
            log.Append(Run($"r{i}"));

        Assert.Equal([3L, 4L, 5L], log.After(0).Events.Select(e => e.Id));
        Assert.Equal([5L], log.After(4).Events.Select(e => e.Id));
    }

    [Fact]
    public async Task The_next_event_wakes_a_waiting_reader()
    {
        var log = new EventLog(4);
        var (events, next) = log.After(0);
        Assert.Empty(events);
        Assert.False(next.IsCompleted);

        log.Append(Run("a"));

        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("a", log.After(0).Events.Single().Cid);
    }

    [Fact]
    public void Filters_select_by_cid_state_fifo_and_type()
    {
        var order = new LiveEvent(LiveEvent.Order, "{}", Fifo: "line-a");
        var done = Run("a", "completed");

        Assert.True(EventFilter.All.Matches(order));
        Assert.True(new EventFilter("a", null, null, true, true).Matches(done));
        Assert.False(new EventFilter("b", null, null, true, true).Matches(done));
        Assert.False(new EventFilter("a", null, null, true, true).Matches(order));
        Assert.False(new EventFilter(null, "running", null, true, true).Matches(done));
        Assert.True(new EventFilter(null, "running", "line-a", true, true).Matches(order));
        Assert.False(new EventFilter(null, null, "line-b", true, true).Matches(order));
        Assert.False(new EventFilter(null, null, null, false, true).Matches(done));
        Assert.False(new EventFilter(null, null, null, true, false).Matches(order));
    }
}
