using Fanout.Bus.Patterns;
using Fanout.Contracts;
using Fanout.Tests.Support;
using MassTransit;

namespace Fanout.Tests.StateMachine;

public class RefusalTests
{
    static readonly Dictionary<string, object?> OkTarget = new() { ["t.ok"] = new { hello = 1 } };

    [Fact]
    public async Task A_duplicate_cid_is_refused_and_the_running_fanout_is_untouched()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.gated"] = 1 }, ["cb.final1"], cid: "dup-1");
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "t.gated"));

        var refused = await Assert.ThrowsAsync<FanoutRequestException>(() =>
            bus.Patterns.Fanout.InvokeAsync(OkTarget, ["cb.final2"], cid: "dup-1"));
        Assert.Contains("already in use", refused.Message);

        bus.Gate.Open();
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"));
        await bus.WaitForIdle();
        var final = Assert.Single(bus.Recorder.Of("cb.final1"));
        Assert.Equal(["t.gated"], final.Request.GetProperty("data").EnumerateObject().Select(p => p.Name));
        Assert.Empty(bus.Recorder.Of("cb.final2"));
        Assert.Empty(bus.Recorder.Of("t.ok"));
    }

    [Theory]
    [InlineData("bad name", "cb.final1", null, "'bad name'")]
    [InlineData("t.ok", "bad callback", null, "'bad callback'")]
    [InlineData("t.ok", "cb.final1", "", "the CID is empty")]
    public async Task Invalid_requests_are_refused_by_the_client_with_the_reason(string target, string callback, string? cid, string reason)
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var refused = await Assert.ThrowsAsync<FanoutRequestException>(() =>
            bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { [target] = 1 }, [callback], cid: cid));
        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public async Task Missing_targets_or_callbacks_are_refused()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        Assert.Contains("at least one target", (await Assert.ThrowsAsync<FanoutRequestException>(() =>
            bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?>(), ["cb.final1"]))).Message);
        Assert.Contains("final callback", (await Assert.ThrowsAsync<FanoutRequestException>(() =>
            bus.Patterns.Fanout.InvokeAsync(OkTarget, []))).Message);
        Assert.Contains("at least one callback", (await Assert.ThrowsAsync<FanoutRequestException>(() =>
            bus.Patterns.Parallel.InvokeAsync(OkTarget, []))).Message);
        Assert.Contains("limit", (await Assert.ThrowsAsync<FanoutRequestException>(() =>
            bus.Patterns.Parallel.InvokeAsync(OkTarget, ["cb.target1"], cid: new string('c', 129)))).Message);
    }

    [Fact]
    public async Task The_orchestrator_refuses_an_invalid_request_that_bypassed_the_client()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var client = bus.Harness.Bus.CreateRequestClient<InvokeFanout>();

        var response = await client.GetResponse<FanoutAccepted, FanoutRejected>(new InvokeFanout
        {
            Cid = "bypass-1", Mode = InvocationMode.Parallel, Targets = new() { ["t.ok"] = Fanout.Bus.FanoutJson.Null }, OnTarget = [],
        });

        Assert.True(response.Is(out Response<FanoutRejected>? rejected));
        Assert.Contains("at least one callback", rejected!.Message.Reason);
        Assert.Null(await bus.FindSaga("bypass-1"));
    }
}
