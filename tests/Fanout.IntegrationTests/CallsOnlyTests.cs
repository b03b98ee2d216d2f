using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.Bus.Authoring;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// Runs made of calls only (no plain target) on RabbitMQ, from the C# API and the gateway, and a final callback that
/// reads a big run's results through <c>context.Patterns</c>.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class CallsOnlyTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    public sealed record Echoed(JsonElement Echo, string Cid);

    Task<BusHost> StartOrchestrator(int inlineResultsLimit = 1000) =>
        BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, configuration) => bus.AddOrchestrator(configuration),
            new Dictionary<string, string?> { ["Fanout:Orchestrator:InlineResultsLimit"] = inlineResultsLimit.ToString() });

    Task<BusHost> StartServices() => BusHost.StartAsync(Url, null, (bus, _) =>
    {
        bus.Services.AddSingleton<ResultsReadInCallback>();
        bus.AddService<OkTarget>().AddService<NoopTarget>().AddService<RecordingCallback>("it.final")
            .AddService<ReadingFinalCallback>("it.reading-final");
    });

    [Fact]
    public async Task MapAndWait_of_a_calls_only_run_returns_typed_results_keyed_by_service_and_index()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices();

        var clock = Stopwatch.StartNew();
        var result = await services.Patterns.Fanout.MapAndWaitAsync<Echoed>("t.ok",
            [new { n = 0 }, new { n = 1 }, new { n = 2 }], ["it.final"], timeout: TimeSpan.FromSeconds(60));
        output.WriteLine($"3-call map returned after {clock.ElapsedMilliseconds} ms");

        Assert.Equal(FanoutStates.Completed, result.State);
        Assert.True(result.AllOk);
        Assert.Equal(["t.ok#0", "t.ok#1", "t.ok#2"], result.Results.Keys);
        Assert.All(Enumerable.Range(0, 3), i =>
        {
            var call = result.Results[$"t.ok#{i}"];
            Assert.Equal(("t.ok", i, result.Cid), (call.Service, call.Value!.Echo.GetProperty("n").GetInt32(), call.Value.Cid));
        });
        // Each request went to the service once, and no plain target named t.ok ran next to the calls.
        Assert.Equal([0, 1, 2], services.Recorder.Of("t.ok", result.Cid).Select(i => i.Request.GetProperty("n").GetInt32()).Order());
    }

    [Fact]
    public async Task A_calls_only_post_of_1000_calls_long_polls_to_completed_with_every_key_reachable_by_paging()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());
        var body = JsonSerializer.Serialize(new
        {
            cid = "calls-only-http",
            calls = Enumerable.Range(0, 1000).Select(i => new { service = "t.ok", request = new { i } }),
            on_final = new[] { "it.final" },
        });

        var clock = Stopwatch.StartNew();
        var accepted = await gateway.Http.PostAsync("/v1/fanouts", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var acceptedAfter = clock.Elapsed;
        // The wait is the gateway's maximum; the request gives up far sooner, so an answer at all means the long-poll
        // answered when the run ended, not when its wait elapsed.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var first = JsonDocument.Parse(await gateway.Http.GetStringAsync(
            "/v1/fanouts/calls-only-http?wait_ms=120000&targets_limit=300", giveUp.Token)).RootElement;
        output.WriteLine($"1,000 calls: accepted after {acceptedAfter.TotalMilliseconds:0} ms, long-poll answered after {clock.Elapsed.TotalMilliseconds:0} ms (wait_ms=120000)");

        Assert.Equal(("completed", 1000, 1000, 0), (first.GetProperty("state").GetString(), first.GetProperty("target_count").GetInt32(),
            first.GetProperty("finished_count").GetInt32(), first.GetProperty("failed_count").GetInt32()));
        var keys = new List<string>();
        var pages = 0;
        for (var page = first; ; pages++)
        {
            foreach (var target in page.GetProperty("targets").EnumerateObject())
            {
                keys.Add(target.Name);
                Assert.Equal(("completed", "t.ok"), (target.Value.GetProperty("status").GetString(), target.Value.GetProperty("service").GetString()));
                var i = int.Parse(target.Name["t.ok#".Length..]);
                Assert.Equal(i, target.Value.GetProperty("result").GetProperty("response").GetProperty("echo").GetProperty("i").GetInt32());
            }

            if (page.GetProperty("next_targets_offset").ValueKind == JsonValueKind.Null)
                break;
            var next = page.GetProperty("next_targets_offset").GetInt32();
            Assert.Equal(keys.Count, next);
            page = JsonDocument.Parse(await gateway.Http.GetStringAsync($"/v1/fanouts/calls-only-http?targets_offset={next}&targets_limit=300")).RootElement;
            Assert.Equal(next, page.GetProperty("targets_offset").GetInt32());
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"t.ok#{i}"), keys);
        // The final callback got all 1,000 inline (the default inline limit is 1,000), once.
        var final = await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final" && i.Cid == "calls-only-http"));
        await BusActivity.WaitForIdle([services.Activity, orchestrator.Activity]);
        var payload = Assert.Single(services.Recorder.Of("it.final", "calls-only-http")).Request;
        Assert.Equal(1000, payload.GetProperty("data").EnumerateObject().Count());
        Assert.Equal(1000, services.Recorder.Of("t.ok", "calls-only-http").Count);
    }

    [Fact]
    public async Task A_final_callback_given_a_data_ref_reads_every_result_through_its_context()
    {
        await using var orchestrator = await StartOrchestrator(inlineResultsLimit: 50);
        await using var services = await StartServices();

        var clock = Stopwatch.StartNew();
        var cid = await services.Patterns.Fanout.MapAsync("it.noop", Enumerable.Range(0, 400).Select(i => (object?)new { i }),
            ["it.reading-final"]);
        var read = await services.Services.GetRequiredService<ResultsReadInCallback>().For(cid).Task.WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"400-call map over an inline limit of 50: callback read its results {clock.ElapsedMilliseconds} ms after the start");

        Assert.Equal((0, cid, 400), (read.InlineCount, read.DataRefCid, read.DataRefCount));
        Assert.Equal(Enumerable.Range(0, 400).Select(i => $"it.noop#{i}"), read.Keys);
        Assert.True(read.AllOkFromService, "every result read in the callback is ok and names it.noop");
    }
}

/// <summary>What <see cref="ReadingFinalCallback"/> saw of each run.</summary>
public sealed record ReadInCallback(int InlineCount, string? DataRefCid, int DataRefCount, IReadOnlyList<string> Keys, bool AllOkFromService);

public sealed class ResultsReadInCallback
{
    readonly ConcurrentDictionary<string, TaskCompletionSource<ReadInCallback>> _runs = new();

    public TaskCompletionSource<ReadInCallback> For(string cid) =>
        _runs.GetOrAdd(cid, _ => new TaskCompletionSource<ReadInCallback>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>A final callback as the README tells users to write one for a big run: data_ref set, so it reads the results.</summary>
public sealed class ReadingFinalCallback(ResultsReadInCallback seen) : FinalCallback
{
    protected override async Task OnFinalAsync(FinalPayload payload, ServiceContext context)
    {
        var keys = new List<string>();
        var allOk = true;
        if (payload.DataRef is { } reference)
            await foreach (var (key, result) in context.Patterns.ReadResultsAsync(reference.Cid, context.CancellationToken))
            {
                keys.Add(key);
                allOk &= result.Ok && result.Service == "it.noop" && result.Target == key;
            }

        seen.For(context.Cid).TrySetResult(new ReadInCallback(payload.Data.Count, payload.DataRef?.Cid, payload.DataRef?.TargetCount ?? -1, keys, allOk));
    }
}
