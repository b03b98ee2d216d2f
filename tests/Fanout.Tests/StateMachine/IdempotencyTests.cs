using Fanout.Bus;
using Fanout.Bus.Authoring;
using Fanout.Contracts;
using Fanout.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Tests.StateMachine;

public class IdempotencyTests
{
    static TargetCompleted Completion(string cid, string target, bool ok = true) => new()
    {
        Cid = cid, Target = target, Ok = ok, Response = FanoutJson.ToElement(new { target }),
        Exception = ok ? null : "failed", RequestedAtUtc = DateTime.UtcNow, RespondedAtUtc = DateTime.UtcNow,
    };

    [Fact]
    public async Task Two_hundred_simultaneous_completions_are_all_recorded_and_the_final_callback_fires_once()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        // Nobody listens on these names, so the test itself completes every target at the same moment.
        var names = Enumerable.Range(0, 200).Select(i => $"nobody.t{i:000}").ToList();
        var cid = await bus.Patterns.Fanout.InvokeAsync(names.ToDictionary(n => n, n => (object?)n), ["cb.final1"]);

        await Task.WhenAll(names.Select((n, i) => bus.Harness.Bus.Publish(Completion(cid, n, ok: i % 10 != 0))));

        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"));
        await bus.WaitForIdle();
        var final = Assert.Single(bus.Recorder.Of("cb.final1"));
        Assert.Equal(200, final.Request.GetProperty("data").EnumerateObject().Count());
        var saga = await bus.FindSaga(cid);
        Assert.Equal((200, 200, 20, "Completed"), (saga!.TargetCount, saga.FinishedCount, saga.FailedCount, saga.CurrentState));
        var finished = await bus.QueryAsync(db => db.TargetResults.CountAsync(r => r.Finished));
        Assert.Equal(200, finished);
    }

    [Fact]
    public async Task A_redelivered_completion_changes_nothing()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(
            new Dictionary<string, object?> { ["t.ok"] = 1, ["nobody.late"] = 2 }, ["cb.final1"], ["cb.target1"]);
        await bus.Recorder.WaitFor(all => bus.Recorder.Of("cb.target1", cid).Count == 1);

        // The same target reports again, this time as a failure: the first result stands.
        await bus.Harness.Bus.Publish(Completion(cid, "t.ok", ok: false));
        await bus.Harness.Bus.Publish(Completion(cid, "t.ok", ok: false));
        await bus.WaitForIdle();
        var running = await bus.FindSaga(cid);
        Assert.Equal((1, 0, "Running"), (running!.FinishedCount, running.FailedCount, running.CurrentState));
        Assert.Single(bus.Recorder.Of("cb.target1", cid));

        await bus.Harness.Bus.Publish(Completion(cid, "nobody.late"));
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"));
        // After completion, repeats are ignored too: no second final callback.
        await bus.Harness.Bus.Publish(Completion(cid, "nobody.late", ok: false));
        await bus.WaitForIdle();
        Assert.Single(bus.Recorder.Of("cb.final1", cid));
        Assert.True(Assert.Single(bus.Recorder.Of("cb.final1", cid)).Request
            .GetProperty("data").GetProperty("t.ok").GetProperty("ok").GetBoolean());
        Assert.Equal(2, bus.Recorder.Of("cb.target1", cid).Count);
    }

    [Fact]
    public async Task A_redelivered_invoke_is_answered_again_without_running_twice()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var client = bus.Harness.Bus.CreateRequestClient<InvokeFanout>();
        var messageId = NewId.NextGuid();
        var request = new InvokeFanout
        {
            Cid = "redelivered-1", Source = "tests", Targets = new() { ["t.ok"] = FanoutJson.Null }, OnFinal = ["cb.final1"],
        };

        var first = await client.GetResponse<FanoutAccepted, FanoutRejected>(request, x => x.UseExecute(c => c.MessageId = messageId));
        var second = await client.GetResponse<FanoutAccepted, FanoutRejected>(request, x => x.UseExecute(c => c.MessageId = messageId));

        Assert.True(first.Is(out Response<FanoutAccepted>? _));
        Assert.True(second.Is(out Response<FanoutAccepted>? _));
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"));
        await bus.WaitForIdle();
        Assert.Single(bus.Recorder.Of("t.ok", "redelivered-1"));
        Assert.Single(bus.Recorder.Of("cb.final1", "redelivered-1"));
    }
}
