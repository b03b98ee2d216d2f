using System.Text.Json;
using Fanout.Contracts;
using Fanout.Tests.Support;
using MassTransit;

namespace Fanout.Tests.Maps;

/// <summary>Builds map runs and reads them back for the orchestrator's map tests.</summary>
/// <remarks>
/// Each run also lists one plain target, so it passes the request validator of this branch (which still asks for a
/// target); it also shows targets and calls side by side in one run.
/// </remarks>
static class Maps
{
    public static InvokeFanout Run(string target, IEnumerable<Call> calls, params string[] onFinal) => new()
    {
        Source = "tests",
        Targets = new() { [target] = JsonSerializer.SerializeToElement(new { plain = true }) },
        Calls = calls.ToList(),
        OnFinal = onFinal.ToList(),
    };

    public static IEnumerable<Call> Calls(string service, int count, Func<int, string?>? key = null) =>
        Enumerable.Range(0, count).Select(i => new Call
        {
            Service = service, Key = key?.Invoke(i), Request = JsonSerializer.SerializeToElement(new { i }),
        });

    public static async Task<string> Start(EmbeddedBus bus, InvokeFanout request)
    {
        var response = await bus.Harness.Bus.CreateRequestClient<InvokeFanout>().GetResponse<FanoutAccepted, FanoutRejected>(request);
        Assert.True(response.Is(out Response<FanoutAccepted>? accepted),
            response.Is(out Response<FanoutRejected>? refused) ? refused.Message.Reason : "refused");
        return accepted!.Message.Cid;
    }

    /// <summary>The run's status; a run the orchestrator does not know fails the test at once.</summary>
    public static async Task<FanoutStatus> Status(EmbeddedBus bus, string cid, int offset = 0, int? limit = null)
    {
        var response = await bus.Harness.Bus.CreateRequestClient<GetFanoutStatus>()
            .GetResponse<FanoutStatus, FanoutNotFound>(
                new GetFanoutStatus { Cid = cid, TargetsOffset = offset, TargetsLimit = limit });
        if (response.Is(out Response<FanoutStatus>? found))
            return found.Message;
        Assert.Fail($"the orchestrator answered that run {cid} does not exist (not found)");
        return null!;
    }

    /// <summary>Waits for the run's final callback on <paramref name="callback"/>, then for the bus to go idle, and returns its payload.</summary>
    public static async Task<JsonElement> FinalPayload(EmbeddedBus bus, string cid, string callback = "cb.final1")
    {
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == callback && i.Cid == cid));
        await bus.WaitForIdle();
        return Assert.Single(bus.Recorder.Of(callback, cid)).Request;
    }
}
