using System.Diagnostics;
using System.Text.Json;
using Fanout.Bus.Patterns;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// fail_fast and quorum on RabbitMQ: the run ends early exactly once, calls in flight and queued are recorded as
/// cancelled with a text that says why, and queued calls never reach their service.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class CompletionPolicyTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    Task<BusHost> StartOrchestrator() =>
        BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, configuration) => bus.AddOrchestrator(configuration));

    Task<BusHost> StartServices() => BusHost.StartAsync(Url, null, (bus, _) =>
        bus.AddService<OkTarget>().AddService<ThrowingTarget>().AddService<GatedTarget>().AddService<RecordingCallback>("it.final"));

    /// <summary>
    /// Waits for the final callback, then proves nothing more comes: both hosts idle, the saga answered a message of
    /// this run (so whatever it emitted for the run is at the broker by then), and both idle again after that.
    /// </summary>
    static async Task<JsonElement> TheOnlyFinalPayload(BusHost orchestrator, BusHost services, string cid, Action? afterFinal = null)
    {
        await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final" && i.Cid == cid), TimeSpan.FromSeconds(60));
        afterFinal?.Invoke();
        await BusActivity.WaitForIdle([services.Activity, orchestrator.Activity], TimeSpan.FromSeconds(60));
        Assert.Equal(CancelOutcome.AlreadyFinished, (await services.SagaSentinel(cid)).Outcome);
        await BusActivity.WaitForIdle([services.Activity, orchestrator.Activity], TimeSpan.FromSeconds(60));
        return Assert.Single(services.Recorder.Of("it.final", cid)).Request;
    }

    static Call To(string service, string key, int i) => FanoutCall.To(service, new { i }, key);

    [Fact]
    public async Task Fail_fast_with_max_concurrency_ends_the_run_once_and_never_invokes_the_queued_calls()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices();
        Call[] calls =
        [
            To("t.ok", "first-0", 0), To("t.ok", "first-1", 1), To("t.boom", "bad", 2),
            .. Enumerable.Range(0, 6).Select(i => To("t.ok", $"queued-{i}", 3 + i)),
        ];

        var clock = Stopwatch.StartNew();
        var cid = await services.Patterns.Fanout.InvokeAsync(calls, ["it.final"], options: new RunOptions { FailFast = true, MaxConcurrency = 1 });
        var data = (await TheOnlyFinalPayload(orchestrator, services, cid)).GetProperty("data");
        output.WriteLine($"fail_fast run ended and settled after {clock.ElapsedMilliseconds} ms");

        // At the services: the two calls before the failure and the failure itself, nothing after it.
        Assert.Equal([0, 1], services.Recorder.Of("t.ok", cid).Select(i => i.Request.GetProperty("i").GetInt32()).Order());
        Assert.Single(services.Recorder.Of("t.boom", cid));
        Assert.Equal(9, data.EnumerateObject().Count());
        Assert.True(data.GetProperty("first-1").GetProperty("ok").GetBoolean());
        Assert.Contains("boom from t.boom", data.GetProperty("bad").GetProperty("exception").GetString());
        Assert.All(Enumerable.Range(0, 6), i =>
        {
            var queued = data.GetProperty($"queued-{i}");
            Assert.Equal((false, "cancelled: fail_fast after 'bad' failed"), (queued.GetProperty("ok").GetBoolean(), queued.GetProperty("exception").GetString()));
        });

        var bus = services.Services.GetRequiredService<IBus>();
        var targets = (await MapRuns.ReadAll(bus, cid)).ToDictionary(t => t.Key, t => t.Target);
        Assert.All(Enumerable.Range(0, 6), i => Assert.Equal((TargetStates.Cancelled, (DateTime?)null),
            (targets[$"queued-{i}"].Status, targets[$"queued-{i}"].InvokedAtUtc)));
        var status = await services.Patterns.WaitForResultAsync(cid, TimeSpan.FromSeconds(10));
        Assert.Equal((FanoutStates.Completed, 9, 7), (status.State, status.Run.FinishedCount, status.Run.FailedCount));
    }

    [Fact]
    public async Task Quorum_ends_the_run_once_cancels_calls_in_flight_and_queued_and_ignores_late_results()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices();
        // Three gated calls hold three of four slots; the ok calls pass one at a time through the fourth, so the
        // quorum of 3 is reached with the gated calls in flight and three ok calls still queued.
        Call[] calls =
        [
            .. Enumerable.Range(0, 3).Select(i => To("t.gated", $"held-{i}", i)),
            .. Enumerable.Range(0, 6).Select(i => To("t.ok", $"fast-{i}", 3 + i)),
        ];

        var clock = Stopwatch.StartNew();
        var cid = await services.Patterns.Fanout.InvokeAsync(calls, ["it.final"], options: new RunOptions { Quorum = 3, MaxConcurrency = 4 });
        // The gate opens after the final callback: the held calls then report ok, too late to count.
        var data = (await TheOnlyFinalPayload(orchestrator, services, cid, services.Services.GetRequiredService<Gate>().Open)).GetProperty("data");
        output.WriteLine($"quorum run ended and settled after {clock.ElapsedMilliseconds} ms");

        Assert.Equal([3, 4, 5], services.Recorder.Of("t.ok", cid).Select(i => i.Request.GetProperty("i").GetInt32()).Order());
        Assert.Equal(3, services.Recorder.Of("t.gated", cid).Count);
        Assert.Equal(9, data.EnumerateObject().Count());
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(data.GetProperty($"fast-{i}").GetProperty("ok").GetBoolean()));
        var cancelled = Enumerable.Range(0, 3).Select(i => $"held-{i}").Concat(Enumerable.Range(3, 3).Select(i => $"fast-{i}"));
        Assert.All(cancelled, key => Assert.Equal((false, "cancelled: quorum of 3 reached"),
            (data.GetProperty(key).GetProperty("ok").GetBoolean(), data.GetProperty(key).GetProperty("exception").GetString())));

        // The late results of the held calls changed nothing.
        var targets = (await MapRuns.ReadAll(services.Services.GetRequiredService<IBus>(), cid)).ToDictionary(t => t.Key, t => t.Target);
        Assert.All(cancelled, key => Assert.Equal(TargetStates.Cancelled, targets[key].Status));
        Assert.All(Enumerable.Range(3, 3), i => Assert.Null(targets[$"fast-{i}"].InvokedAtUtc));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal("cancelled: quorum of 3 reached", targets[$"held-{i}"].Result!.Exception));
        var status = await services.Patterns.WaitForResultAsync(cid, TimeSpan.FromSeconds(10));
        Assert.Equal((FanoutStates.Completed, 3, 9, 6), (status.State, status.Run.Quorum, status.Run.FinishedCount, status.Run.FailedCount));
    }
}
