using Fanout.Bus;
using Fanout.Bus.Authoring;
using Fanout.Contracts;
using Fanout.Orchestrator;
using Fanout.Orchestrator.Hosting;
using Fanout.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fanout.Tests.StateMachine;

/// <summary>
/// The orchestrator's time-driven work, on a clock moved by hand: it acts when the injected clock says so, whatever
/// the machine's clock says (the runs here last seconds of real time, their deadlines and retention days of fake time).
/// </summary>
public class FakeClockTests
{
    static async Task<string> Invoke(EmbeddedBus bus, InvokeFanout request)
    {
        var response = await bus.Harness.Bus.CreateRequestClient<InvokeFanout>()
            .GetResponse<FanoutAccepted, FanoutRejected>(request);
        Assert.True(response.Is(out Response<FanoutAccepted>? accepted),
            response.Is(out Response<FanoutRejected>? r) ? r.Message.Reason : "refused");
        return accepted!.Message.Cid;
    }

    static InvokeFanout Run(string cid, string target, long? deadlineMs = null) => new()
    {
        Cid = cid, Source = "tests", DeadlineMs = deadlineMs, OnFinal = ["cb.final1"],
        Targets = new() { [target] = FanoutJson.Null },
    };

    [Fact]
    public async Task The_deadline_sweeper_times_a_run_out_when_the_clock_passes_its_deadline_and_not_before()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var started = clock.GetUtcNow().UtcDateTime;
        await using var bus = await EmbeddedBus.StartAsync(time: clock);
        var cid = await Invoke(bus, Run("fake-deadline", "t.deferred", deadlineMs: 60_000));
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "t.deferred" && i.Cid == cid));
        Assert.Equal(started.AddMinutes(1), (await bus.FindSaga(cid))!.DeadlineUtc);

        // One second before the deadline a sweep finds nothing due: still running.
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await bus.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None));
        await bus.WaitForIdle();
        Assert.Equal("Running", (await bus.FindSaga(cid))!.CurrentState);
        Assert.Empty(bus.Recorder.Of("cb.final1", cid));

        clock.Advance(TimeSpan.FromSeconds(2));
        var final = (await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1" && i.Cid == cid)))
            .Single(i => i.Service == "cb.final1" && i.Cid == cid);
        var result = final.Request.GetProperty("data").GetProperty("t.deferred");
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.StartsWith("System.TimeoutException", result.GetProperty("exception").GetString());
        var saga = (await bus.FindSaga(cid))!;
        Assert.Equal(("TimedOut", clock.GetUtcNow().UtcDateTime), (saga.CurrentState, saga.CompletedAtUtc));
    }

    [Fact]
    public async Task Retention_purges_exactly_the_runs_that_ended_longer_ago_than_the_retention_period()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bus = await EmbeddedBus.StartAsync(time: clock);
        var retention = bus.Services.GetRequiredService<RetentionService>();
        var period = bus.Services.GetRequiredService<OrchestratorSettings>().Retention;

        var older = await Invoke(bus, Run("fake-retention-older", "t.ok"));
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1" && i.Cid == older));
        await bus.WaitForIdle();
        clock.Advance(TimeSpan.FromHours(1));
        var newer = await Invoke(bus, Run("fake-retention-newer", "t.ok"));
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1" && i.Cid == newer));
        await bus.WaitForIdle();
        var olderEnded = (await bus.FindSaga(older))!.CompletedAtUtc!.Value;
        var newerEnded = (await bus.FindSaga(newer))!.CompletedAtUtc!.Value;
        Assert.Equal(TimeSpan.FromHours(1), newerEnded - olderEnded);

        // The retention period after the older run ended, and a second more: only the older run goes, with its rows.
        clock.Advance(olderEnded + period + TimeSpan.FromSeconds(1) - clock.GetUtcNow().UtcDateTime);
        Assert.Equal(1, await retention.PurgeExpiredAsync(CancellationToken.None));
        Assert.Null(await bus.FindSaga(older));
        Assert.NotNull(await bus.FindSaga(newer));
        Assert.Equal([newer], await bus.QueryAsync(db => db.TargetResults.Select(r => r.CorrelationId).Distinct()
            .Join(db.Fanouts, id => id, f => f.CorrelationId, (_, f) => f.Cid).ToListAsync()));

        // An hour later the newer run passes the period too.
        Assert.Equal(0, await retention.PurgeExpiredAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await retention.PurgeExpiredAsync(CancellationToken.None));
        Assert.Null(await bus.FindSaga(newer));
        Assert.Equal(0, await bus.QueryAsync(db => db.TargetResults.CountAsync()));
    }
}
