using System.Collections.Concurrent;
using System.Text.Json;
using Fanout.Bus.Authoring;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using MassTransit;

namespace Fanout.IntegrationTests;

/// <summary>Map runs for the integration tests: requests, a no-op service and a final callback that signals.</summary>
static class MapRuns
{
    /// <remarks>One plain target next to the calls: this branch's request validator still asks for a target.</remarks>
    public static InvokeFanout Request(string service, int calls, string onFinal, Func<int, object>? request = null) => new()
    {
        Source = "integration",
        Targets = new() { [service] = JsonSerializer.SerializeToElement(request?.Invoke(-1) ?? new { i = -1 }) },
        Calls = Enumerable.Range(0, calls)
            .Select(i => new Call { Service = service, Request = JsonSerializer.SerializeToElement(request?.Invoke(i) ?? new { i }) })
            .ToList(),
        OnFinal = [onFinal],
    };

    public static async Task<string> Start(IBus bus, InvokeFanout request)
    {
        var response = await bus.CreateRequestClient<InvokeFanout>(RequestTimeout.After(s: 120))
            .GetResponse<FanoutAccepted, FanoutRejected>(request);
        Assert.True(response.Is(out Response<FanoutAccepted>? accepted),
            response.Is(out Response<FanoutRejected>? refused) ? refused.Message.Reason : "refused");
        return accepted!.Message.Cid;
    }

    /// <summary>Every target of the run, read a page at a time as a final callback with a <c>data_ref</c> would.</summary>
    public static async Task<List<(string Key, TargetStatus Target)>> ReadAll(IBus bus, string cid)
    {
        var all = new List<(string, TargetStatus)>();
        for (int? offset = 0; offset is { } at;)
        {
            var page = await RunStatusQuery.GetAsync(bus, cid, at);
            all.AddRange(page.Targets.Select(t => (t.Key, t.Value)));
            offset = page.NextTargetsOffset;
        }

        return all;
    }
}

/// <summary>Returns at once: what a benchmark's target costs is the machinery around it.</summary>
[Service("it.noop")]
public sealed class NoopTarget : FanoutService<JsonElement, object?>
{
    public override Task<object?> HandleAsync(JsonElement request, ServiceContext context) => Task.FromResult<object?>(null);
}

/// <summary>Final callback that completes the run's waiter with its payload.</summary>
public sealed class SignallingFinalCallback(FinalSignals signals) : FanoutService<JsonElement, object?>
{
    public override Task<object?> HandleAsync(JsonElement request, ServiceContext context)
    {
        signals.For(context.Cid).TrySetResult(request.Clone());
        return Task.FromResult<object?>(null);
    }
}

public sealed class FinalSignals
{
    readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _runs = new();

    public TaskCompletionSource<JsonElement> For(string cid) =>
        _runs.GetOrAdd(cid, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
}
