using System.Text.Json;
using Fanout.Contracts;
using Fanout.Orchestrator;
using Fanout.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.Maps;

public class MapFanoutTests
{
    [Fact]
    public async Task A_map_of_250_calls_to_one_service_completes_with_every_key_and_its_service()
    {
        await using var bus = await EmbeddedBus.StartAsync();

        var cid = await Maps.Start(bus, Maps.Run("t.ok", Maps.Calls("t.ok", 250), "cb.final1"));

        var data = (await Maps.FinalPayload(bus, cid)).GetProperty("data");
        var keys = data.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(251, keys.Count);
        Assert.All(Enumerable.Range(0, 250), i => Assert.Contains($"t.ok#{i}", keys));
        Assert.Contains("t.ok", keys);
        // Request order: the plain target first, then the calls by index (not t.ok#0, t.ok#1, t.ok#10, ...).
        Assert.Equal(["t.ok", .. Enumerable.Range(0, 250).Select(i => $"t.ok#{i}")], data.EnumerateObject().Select(p => p.Name));
        Assert.All(data.EnumerateObject(), p =>
        {
            Assert.Equal(p.Name, p.Value.GetProperty("target").GetString());
            Assert.Equal("t.ok", p.Value.GetProperty("service").GetString());
            Assert.True(p.Value.GetProperty("ok").GetBoolean());
        });
        Assert.Equal(17, data.GetProperty("t.ok#17").GetProperty("response").GetProperty("echo").GetProperty("i").GetInt32());
        Assert.Equal(251, bus.Recorder.Of("t.ok", cid).Count);
        var saga = await bus.FindSaga(cid);
        Assert.Equal((251, 251, 0), (saga!.TargetCount, saga.FinishedCount, saga.FailedCount));
    }

    [Fact]
    public async Task Calls_travel_in_chunks_of_calls_per_message_grouped_by_service_in_request_order()
    {
        await using var bus = await EmbeddedBus.StartAsync(p => p.GetRequiredService<OrchestratorSettings>().CallsPerMessage = 10);
        var calls = Maps.Calls("t.ok", 25).Concat(Maps.Calls("t.slow1", 3, i => $"slow-{i}"));

        var cid = await Maps.Start(bus, Maps.Run("t.ok", calls, "cb.final1"));

        await Maps.FinalPayload(bus, cid);
        var chunks = bus.Harness.Sent.Select<InvokeCalls>().Select(s => s.Context.Message).Where(m => m.Cid == cid).ToList();
        // The plain target and the 25 calls to t.ok are consecutive: 26 calls in chunks of 10, then t.slow1's 3.
        Assert.Equal([("t.ok", 10), ("t.ok", 10), ("t.ok", 6), ("t.slow1", 3)],
            chunks.Select(c => (c.Service, c.Calls.Count)).OrderBy(c => c.Service).ThenByDescending(c => c.Count).ToList());
        var all = chunks.SelectMany(c => c.Calls).ToList();
        Assert.Equal(29, all.Select(c => c.Key).Distinct().Count());
        var call = all.Single(c => c.Key == "t.ok#3");
        Assert.EndsWith($"/v1/fanouts/{cid}/targets/{Uri.EscapeDataString("t.ok#3")}/result", call.CallbackUrl);
        Assert.False(string.IsNullOrEmpty(call.CompletionToken));
    }

    [Fact]
    public async Task A_repeated_result_for_a_key_is_ignored_and_the_first_one_kept_with_its_attempts()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await Maps.Start(bus, Maps.Run("t.deferred", Maps.Calls("t.deferred", 0).Concat(
            [new Call { Service = "t.deferred", Key = "a" }, new Call { Service = "t.deferred", Key = "b" }]), "cb.final1"));

        await Report(bus, cid, ("a", 1, 3));
        await Eventually.Until(() => Maps.Status(bus, cid), s => s.FinishedCount == 1, "the first result recorded");
        await Report(bus, cid, ("a", 2, 1));
        await Report(bus, cid, ("a", 1, 3), ("b", 3, 1), ("t.deferred", 4, 2));

        var data = (await Maps.FinalPayload(bus, cid)).GetProperty("data");
        Assert.Equal(1, data.GetProperty("a").GetProperty("response").GetInt32());
        Assert.Equal(3, data.GetProperty("b").GetProperty("response").GetInt32());
        var status = await Maps.Status(bus, cid);
        Assert.Equal((3, 0), (status.FinishedCount, status.FailedCount));
        Assert.Equal(3, status.Targets["a"].Attempts);
        Assert.Equal(2, status.Targets["t.deferred"].Attempts);
        Assert.Equal("t.deferred", status.Targets["b"].Service);
    }

    static Task Report(EmbeddedBus bus, string cid, params (string Key, int Response, int Attempts)[] results) =>
        bus.Harness.Bus.Publish(new CallsCompleted
        {
            Cid = cid,
            Service = "t.deferred",
            Results = results.Select(r => new CallResult
            {
                Key = r.Key, Ok = true, Response = JsonSerializer.SerializeToElement(r.Response), Attempts = r.Attempts,
                RequestedAtUtc = DateTime.UtcNow, RespondedAtUtc = DateTime.UtcNow,
            }).ToList(),
        });

    [Fact]
    public async Task Max_concurrency_holds_for_calls_and_every_call_still_runs()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var request = Maps.Run("t.slow1", Maps.Calls("t.slow1", 9), "cb.final1") with { MaxConcurrency = 2 };

        var cid = await Maps.Start(bus, request);

        var data = (await Maps.FinalPayload(bus, cid)).GetProperty("data");
        Assert.Equal(10, data.EnumerateObject().Count());
        Assert.InRange(bus.Services.GetRequiredService<ConcurrencyMeter>().Max, 1, 2);
        Assert.Equal(10, bus.Recorder.Of("t.slow1", cid).Count);
    }

    [Fact]
    public async Task Over_the_inline_limit_the_final_callback_gets_a_reference_and_reads_the_results_in_pages()
    {
        await using var bus = await EmbeddedBus.StartAsync(p => p.GetRequiredService<OrchestratorSettings>().InlineResultsLimit = 20);

        var cid = await Maps.Start(bus, Maps.Run("t.ok", Maps.Calls("t.ok", 30), "cb.final1"));

        var payload = await Maps.FinalPayload(bus, cid);
        Assert.Empty(payload.GetProperty("data").EnumerateObject());
        Assert.Equal(cid, payload.GetProperty("data_ref").GetProperty("cid").GetString());
        Assert.Equal(31, payload.GetProperty("data_ref").GetProperty("target_count").GetInt32());

        var keys = new List<string>();
        for (int? offset = 0; offset is { } at;)
        {
            var page = await Maps.Status(bus, cid, at, limit: 8);
            Assert.Equal(at, page.TargetsOffset);
            Assert.All(page.Targets.Values, t => Assert.True(t.Result!.Ok));
            keys.AddRange(page.Targets.Keys);
            offset = page.NextTargetsOffset;
        }

        Assert.Equal(["t.ok", .. Enumerable.Range(0, 30).Select(i => $"t.ok#{i}")], keys);
    }

    [Fact]
    public async Task Status_pages_follow_request_order_and_are_capped_by_max_status_page()
    {
        await using var bus = await EmbeddedBus.StartAsync(p => p.GetRequiredService<OrchestratorSettings>().MaxStatusPage = 10);
        var cid = await Maps.Start(bus, Maps.Run("t.ok", Maps.Calls("t.ok", 24, i => $"item-{i:00}"), "cb.final1"));
        await Maps.FinalPayload(bus, cid);

        var first = await Maps.Status(bus, cid);
        var last = await Maps.Status(bus, cid, offset: 20, limit: 500);

        Assert.Equal((10, 0, 10), (first.Targets.Count, first.TargetsOffset, first.NextTargetsOffset));
        Assert.Equal(["t.ok", .. Enumerable.Range(0, 9).Select(i => $"item-{i:00}")], first.Targets.Keys);
        Assert.Equal((5, 20, (int?)null), (last.Targets.Count, last.TargetsOffset, last.NextTargetsOffset));
        Assert.Equal("item-23", last.Targets.Keys.Last());
        Assert.All(last.Targets.Values, t => Assert.Equal(("t.ok", 1, TargetStates.Completed), (t.Service, t.Attempts, t.Status)));
    }
}
