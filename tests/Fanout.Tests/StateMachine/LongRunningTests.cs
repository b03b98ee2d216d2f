using Fanout.Bus;
using Fanout.Bus.Authoring;
using Fanout.Contracts;
using Fanout.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.StateMachine;

public class LongRunningTests
{
    static Task<Response<TargetResultOutcome>> Submit(EmbeddedBus bus, string cid, string target, string token, bool ok = true, object? response = null) =>
        bus.Harness.Bus.CreateRequestClient<SubmitTargetResult>().GetResponse<TargetResultOutcome>(new SubmitTargetResult
        {
            Cid = cid, Target = target, CompletionToken = token, Ok = ok, Response = FanoutJson.ToElement(response ?? new { done = true }),
            Exception = ok ? null : "failed outside",
        });

    static async Task<string> InvokeRaw(EmbeddedBus bus, InvokeFanout request)
    {
        var response = await bus.Harness.Bus.CreateRequestClient<InvokeFanout>().GetResponse<FanoutAccepted, FanoutRejected>(request);
        Assert.True(response.Is(out Response<FanoutAccepted>? accepted), response.Is(out Response<FanoutRejected>? r) ? r.Message.Reason : "refused");
        return accepted!.Message.Cid;
    }

    [Fact]
    public async Task A_deferred_target_completes_when_its_result_is_submitted_with_its_token()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.deferred"] = 1, ["t.ok"] = 2 }, ["cb.final1"]);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "t.deferred"));
        var (token, url) = bus.Services.GetRequiredService<DeferredTokens>().Get(cid, "t.deferred");
        Assert.EndsWith($"/v1/fanouts/{cid}/targets/t.deferred/result", url);
        // Everything t.ok set off has been handled: one target finished, one still deferred, no fan-in yet.
        await bus.WaitForIdle();
        Assert.Equal(1, (await bus.FindSaga(cid))!.FinishedCount);
        Assert.Empty(bus.Recorder.Of("cb.final1"));

        Assert.Equal(TargetResultOutcome.Forbidden, (await Submit(bus, cid, "t.deferred", token + "x")).Message.Outcome);
        Assert.Equal(TargetResultOutcome.Recorded, (await Submit(bus, cid, "t.deferred", token)).Message.Outcome);
        Assert.Equal(TargetResultOutcome.AlreadyRecorded, (await Submit(bus, cid, "t.deferred", token)).Message.Outcome);
        Assert.Equal(TargetResultOutcome.Conflict, (await Submit(bus, cid, "t.deferred", token, ok: false)).Message.Outcome);

        var final = (await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"))).Single(i => i.Service == "cb.final1");
        Assert.True(final.Request.GetProperty("data").GetProperty("t.deferred").GetProperty("response").GetProperty("done").GetBoolean());
        Assert.Equal("Completed", (await bus.FindSaga(cid))!.CurrentState);
    }

    [Fact]
    public async Task A_token_for_one_target_cannot_complete_another()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.deferred"] = 1, ["t.gated"] = 2 }, ["cb.final1"]);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "t.deferred"));
        var (token, _) = bus.Services.GetRequiredService<DeferredTokens>().Get(cid, "t.deferred");

        Assert.Equal(TargetResultOutcome.Forbidden, (await Submit(bus, cid, "t.gated", token)).Message.Outcome);
        Assert.Equal(TargetResultOutcome.NotFound, (await Submit(bus, "no-such-cid", "t.deferred", token)).Message.Outcome);
        Assert.Equal(0, (await bus.FindSaga(cid))!.FinishedCount);
        bus.Gate.Open();
    }

    [Fact]
    public async Task At_the_deadline_unfinished_targets_time_out_and_the_fan_in_runs_once_with_what_it_has()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await InvokeRaw(bus, new InvokeFanout
        {
            Cid = "deadline-1", Source = "tests", DeadlineMs = 1500, OnFinal = ["cb.final1"], OnTarget = ["cb.target1"],
            Targets = new() { ["t.deferred"] = FanoutJson.Null, ["t.ok"] = FanoutJson.Null },
        });

        var final = (await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"), TimeSpan.FromSeconds(15)))
            .Single(i => i.Service == "cb.final1");
        var timedOut = final.Request.GetProperty("data").GetProperty("t.deferred");
        Assert.False(timedOut.GetProperty("ok").GetBoolean());
        Assert.StartsWith("System.TimeoutException", timedOut.GetProperty("exception").GetString());
        Assert.True(final.Request.GetProperty("data").GetProperty("t.ok").GetProperty("ok").GetBoolean());

        var (token, _) = bus.Services.GetRequiredService<DeferredTokens>().Get(cid, "t.deferred");
        Assert.Equal(TargetResultOutcome.Late, (await Submit(bus, cid, "t.deferred", token)).Message.Outcome);
        await bus.WaitForIdle();
        Assert.Single(bus.Recorder.Of("cb.final1", cid));
        // The timed-out target's callback and the fan-in leave together on queues of their own: either may arrive first.
        Assert.Equal(2, bus.Recorder.Of("cb.target1", cid).Count);
        Assert.Equal("TimedOut", (await bus.FindSaga(cid))!.CurrentState);
    }

    [Fact]
    public async Task A_deadline_that_passes_while_the_orchestrator_is_down_fires_once_after_restart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
        DateTime deadline;
        await using (var first = await EmbeddedBus.StartAsync(directory: directory))
        {
            await InvokeRaw(first, new InvokeFanout
            {
                Cid = "deadline-restart", Source = "tests", DeadlineMs = 2000, OnFinal = ["cb.final1"],
                Targets = new() { ["t.deferred"] = FanoutJson.Null },
            });
            await first.Recorder.WaitFor(all => all.Any(i => i.Service == "t.deferred"));
            deadline = (await first.FindSaga("deadline-restart"))!.DeadlineUtc;
        }

        // The scenario itself: the deadline passes while no orchestrator runs.
        Assert.True(DateTime.UtcNow < deadline, $"the first orchestrator outlived the deadline {deadline:O}; the test proves nothing");
        await Eventually.Until(() => DateTime.UtcNow, now => now > deadline, $"the deadline {deadline:O} to pass");
        await using var second = await EmbeddedBus.StartAsync(directory: directory);
        var final = (await second.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"), TimeSpan.FromSeconds(15)))
            .Single(i => i.Service == "cb.final1");
        Assert.Contains("TimeoutException", final.Request.GetProperty("data").GetProperty("t.deferred").GetProperty("exception").GetString());
        await second.WaitForIdle();
        Assert.Single(second.Recorder.Of("cb.final1", "deadline-restart"));
        Assert.Equal("TimedOut", (await second.FindSaga("deadline-restart"))!.CurrentState);
    }

    [Fact]
    public async Task Cancel_records_unfinished_targets_as_cancelled_and_runs_the_fan_in_once()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.deferred"] = 1, ["t.ok"] = 2 }, ["cb.final1"]);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "t.deferred") && all.Any(i => i.Service == "t.ok"));
        var cancel = bus.Harness.Bus.CreateRequestClient<CancelFanout>();

        var first = await cancel.GetResponse<CancelOutcome>(new CancelFanout { Cid = cid, Reason = "operator" });
        var second = await cancel.GetResponse<CancelOutcome>(new CancelFanout { Cid = cid });
        var unknown = await cancel.GetResponse<CancelOutcome>(new CancelFanout { Cid = "no-such-cid" });

        Assert.Equal(CancelOutcome.Cancelled, first.Message.Outcome);
        Assert.Equal((CancelOutcome.AlreadyFinished, FanoutStates.Cancelled), (second.Message.Outcome, second.Message.State));
        Assert.Equal(CancelOutcome.NotFound, unknown.Message.Outcome);
        var final = (await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"))).Single(i => i.Service == "cb.final1");
        Assert.Contains("cancelled", final.Request.GetProperty("data").GetProperty("t.deferred").GetProperty("exception").GetString());
        await bus.WaitForIdle();
        Assert.Single(bus.Recorder.Of("cb.final1", cid));
    }

    [Fact]
    public async Task Max_concurrency_keeps_at_most_n_targets_in_flight_and_invokes_each_once()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var names = Enumerable.Range(1, 6).Select(i => $"t.slow{i}").ToArray();
        var cid = await InvokeRaw(bus, new InvokeFanout
        {
            Cid = "limited-1", Source = "tests", MaxConcurrency = 2, OnFinal = ["cb.final1"],
            Targets = names.ToDictionary(n => n, _ => FanoutJson.Null),
        });

        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"), TimeSpan.FromSeconds(20));
        Assert.Equal(2, bus.Services.GetRequiredService<ConcurrencyMeter>().Max);
        // Slots free up in batches and deliveries to different queues race, so only the count per target is fixed.
        Assert.Equal(names, bus.Recorder.All.Where(i => i.Service.StartsWith("t.slow")).Select(i => i.Service).Order());
        var saga = await bus.FindSaga(cid);
        Assert.Equal((6, 6), (saga!.InvokedCount, saga.FinishedCount));
    }

    [Fact]
    public async Task Status_queries_report_state_targets_and_results()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.deferred"] = 1, ["t.ok"] = 2 }, ["cb.final1"]);
        // t.ok having run does not mean its result is recorded yet: ask until the status shows it finished.
        var status = await Eventually.Until(
            () => bus.Harness.Bus.CreateRequestClient<GetFanoutStatus>().GetResponse<FanoutStatus, FanoutNotFound>(new GetFanoutStatus { Cid = cid }),
            s => s.Is(out Response<FanoutStatus>? r) && r.Message.FinishedCount >= 1, "the status to show t.ok finished",
            describe: s => s.Is(out Response<FanoutStatus>? r) ? $"{r.Message.State}, {r.Message.FinishedCount} finished" : "not found");
        Assert.True(status.Is(out Response<FanoutStatus>? found));
        Assert.Equal((FanoutStates.Running, 2, 1, "pending"), (found!.Message.State, found.Message.TargetCount, found.Message.FinishedCount, found.Message.FinalCallbacks));
        Assert.Equal(TargetStates.Processing, found.Message.Targets["t.deferred"].Status);
        Assert.Equal(TargetStates.Completed, found.Message.Targets["t.ok"].Status);
        Assert.True(found.Message.Targets["t.ok"].Result!.Ok);

        var missing = await bus.Harness.Bus.CreateRequestClient<GetFanoutStatus>().GetResponse<FanoutStatus, FanoutNotFound>(new GetFanoutStatus { Cid = "nope" });
        Assert.True(missing.Is(out Response<FanoutNotFound>? _));

        var list = await bus.Harness.Bus.CreateRequestClient<ListFanouts>().GetResponse<FanoutList>(new ListFanouts { State = FanoutStates.Running });
        Assert.Equal(cid, Assert.Single(list.Message.Items).Cid);
        var none = await bus.Harness.Bus.CreateRequestClient<ListFanouts>().GetResponse<FanoutList>(new ListFanouts { State = FanoutStates.Completed });
        Assert.Empty(none.Message.Items);
    }

    [Fact]
    public async Task Runs_that_ended_before_the_retention_period_are_purged()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.ok"] = 1 }, ["cb.final1"]);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"));
        var retention = bus.Services.GetRequiredService<Fanout.Orchestrator.Hosting.RetentionService>();

        Assert.Equal(0, await retention.PurgeAsync(DateTime.UtcNow.AddDays(-7), CancellationToken.None));
        Assert.Equal(1, await retention.PurgeAsync(DateTime.UtcNow.AddSeconds(1), CancellationToken.None));
        Assert.Null(await bus.FindSaga(cid));
        Assert.Equal(0, await bus.QueryAsync(db => db.TargetResults.CountAsync()));
    }
}
