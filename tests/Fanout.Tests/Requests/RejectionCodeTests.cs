using System.Text.Json;
using Fanout.Bus.Patterns;
using Fanout.Contracts;
using Fanout.Tests.Support;
using MassTransit;

namespace Fanout.Tests.Requests;

/// <summary>The orchestrator says why it refused with a code, so callers need not read its wording.</summary>
public class RejectionCodeTests
{
    [Fact]
    public async Task A_taken_cid_is_refused_as_cid_in_use()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        await bus.Patterns.Parallel.InvokeAsync(new Dictionary<string, object?> { ["t.ok"] = 1 }, ["cb.target1"], cid: "code-1");

        var refused = await Assert.ThrowsAsync<FanoutRequestException>(() =>
            bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.ok"] = 2 }, ["cb.final1"], cid: "code-1"));

        Assert.Equal(FanoutRejected.CidInUse, refused.Code);
    }

    [Fact]
    public async Task A_raw_invalid_message_is_refused_as_invalid_request()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var client = bus.Harness.Bus.CreateRequestClient<InvokeFanout>(RequestTimeout.After(s: 15));

        // Sent around the client-side checks, as any AMQP client could.
        var response = await client.GetResponse<FanoutAccepted, FanoutRejected>(new InvokeFanout
        {
            Cid = "code-2", Mode = InvocationMode.Parallel, Targets = new() { ["t.ok"] = JsonDocument.Parse("1").RootElement },
            OnFinal = ["cb.final1"],
        });

        Assert.True(response.Is(out Response<FanoutRejected>? rejected));
        Assert.Equal(FanoutRejected.InvalidRequest, rejected.Message.Code);
        Assert.Contains("a parallel execution has no final callbacks", rejected.Message.Reason);
    }

    [Fact]
    public async Task A_request_the_client_refuses_itself_is_an_invalid_request()
    {
        await using var bus = await EmbeddedBus.StartAsync();

        var refused = await Assert.ThrowsAsync<FanoutRequestException>(() =>
            bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["bad name"] = 1 }, ["cb.final1"]));

        Assert.Equal(FanoutRejected.InvalidRequest, refused.Code);
    }
}
