using Fanout.Contracts;

namespace Fanout.Tests.Support;

/// <summary>The quiescence signal the "only once" assertions rely on.</summary>
public class BusActivityTests
{
    [Fact]
    public async Task The_bus_is_not_idle_while_a_target_runs_and_idle_means_its_callbacks_were_handled()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.gated"] = 1 }, ["cb.final1"], ["cb.target1"]);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "t.gated"));

        // Longer than the harness's 1.2 s inactivity timer, which would call this bus inactive.
        var busy = await Assert.ThrowsAsync<TimeoutException>(() => bus.Activity.WaitForIdle(TimeSpan.FromSeconds(1.5)));
        Assert.Contains("1 receive(s) in flight", busy.Message);

        bus.Gate.Open();
        await bus.WaitForIdle();
        // No waiting for the callbacks themselves: idle already means they ran.
        Assert.Equal(Channels.FanoutOnTarget, Assert.Single(bus.Recorder.Of("cb.target1", cid)).Channel);
        Assert.Equal(Channels.FanoutOnFinal, Assert.Single(bus.Recorder.Of("cb.final1", cid)).Channel);
        await bus.WaitForIdle();
    }
}
