using Fanout.Contracts;
using static Fanout.Tests.Calls.ServiceHost;

namespace Fanout.Tests.Calls;

/// <summary>A service consuming <see cref="InvokeCalls"/>: every call once, results in batches, nothing run twice.</summary>
public class ChunkTests
{
    [Fact]
    public async Task A_chunk_of_250_calls_reports_every_key_exactly_once_in_batches()
    {
        await using var host = await StartAsync();
        var chunk = Chunk("t.calls.echo", Enumerable.Range(0, 250).Select(i => Call($"item-{i:000}", new { i })).ToArray());

        await host.Consumed(await host.SendAsync(chunk));

        var batches = host.Batches(chunk.Cid);
        var results = batches.SelectMany(b => b.Results).ToList();
        Assert.Equal(chunk.Calls.Select(c => c.Key).Order(), results.Select(r => r.Key).Order());
        Assert.True(batches.Count >= 2, $"250 results with batches of at most 200 need two publishes, got {batches.Count}");
        Assert.All(batches, b => Assert.InRange(b.Results.Count, 1, 200));
        Assert.All(batches, b => Assert.Equal("t.calls.echo", b.Service));
        var item7 = results.Single(r => r.Key == "item-007");
        Assert.True(item7.Ok);
        Assert.Equal(1, item7.Attempts);
        Assert.Equal(chunk.RequestedAtUtc, item7.RequestedAtUtc);
        Assert.Equal("item-007", item7.Response!.Value.GetProperty("key").GetString());
        Assert.Equal(7, item7.Response!.Value.GetProperty("request").GetProperty("i").GetInt32());
        Assert.Equal(250, host.Log.Count("t.calls.echo"));
    }

    [Fact]
    public async Task A_fast_call_is_reported_while_a_slow_one_of_the_same_chunk_still_runs()
    {
        await using var host = await StartAsync();
        var chunk = Chunk("t.calls.gated", Call("slow", "wait"), Call("fast", "go"));

        var id = await host.SendAsync(chunk);

        var early = await Eventually.Until(() => host.Results(chunk.Cid), r => r.Count > 0, "the fast call's result");
        Assert.Equal("fast", Assert.Single(early).Key);
        host.Gate.Open();
        await host.Consumed(id);
        Assert.Equal(["fast", "slow"], host.Results(chunk.Cid).Select(r => r.Key).Order());
    }

    [Fact]
    public async Task Calls_run_concurrently_up_to_the_per_service_bound()
    {
        await using var host = await StartAsync();
        var first = Chunk("t.calls.slow", Enumerable.Range(0, 20).Select(i => Call($"a{i}")).ToArray());
        var second = Chunk("t.calls.slow", Enumerable.Range(0, 20).Select(i => Call($"b{i}")).ToArray());

        // Two chunks in flight at once share the service's slots.
        var ids = await Task.WhenAll(host.SendAsync(first), host.SendAsync(second));
        await Task.WhenAll(ids.Select(id => host.Consumed(id)));

        Assert.Equal(20, host.Results(first.Cid).Count);
        Assert.Equal(20, host.Results(second.Cid).Count);
        Assert.InRange(host.Meter.Max, 2, CallConcurrency);
    }

    [Fact]
    public async Task A_deferred_call_reports_nothing()
    {
        await using var host = await StartAsync();
        var chunk = Chunk("t.calls.defer", Call("later", "defer", completionToken: "token-1"), Call("now", "answer"));

        await host.Consumed(await host.SendAsync(chunk));

        Assert.Equal("now", Assert.Single(host.Results(chunk.Cid)).Key);
        Assert.Equal(2, host.Log.Count("t.calls.defer"));
    }

    [Fact]
    public async Task A_redelivered_chunk_is_not_run_again()
    {
        await using var host = await StartAsync();
        var chunk = Chunk("t.calls.echo", Enumerable.Range(0, 30).Select(i => Call($"k{i}")).ToArray());

        var id = await host.SendAsync(chunk);
        await host.Consumed(id);
        await host.SendAsync(chunk, id);
        await host.Consumed(id, copies: 2);

        Assert.Equal(30, host.Log.Count("t.calls.echo"));
        Assert.Equal(30, host.Results(chunk.Cid).Count);
    }

    [Fact]
    public async Task A_copy_arriving_while_the_first_still_runs_is_skipped()
    {
        await using var host = await StartAsync();
        var chunk = Chunk("t.calls.gated", Call("held", "wait"));

        var id = await host.SendAsync(chunk);
        await Eventually.Until(() => host.Log.Count("t.calls.gated"), n => n == 1, "the first copy to start");
        await host.SendAsync(chunk, id);
        await host.Consumed(id); // the second copy, skipped: the first is still waiting at the gate
        host.Gate.Open();
        await host.Consumed(id, copies: 2);

        Assert.Equal(1, host.Log.Count("t.calls.gated"));
        Assert.Equal("held", Assert.Single(host.Results(chunk.Cid)).Key);
    }
}
