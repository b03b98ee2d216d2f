using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout.Bus.Authoring;
using Fanout.Contracts;
using Fanout.Tests.Support;

namespace Fanout.Tests.Calls;

/// <summary>Every handler invocation the call test services saw: service, key, attempt.</summary>
public sealed class CallLog
{
    readonly ConcurrentQueue<(string Service, string? Key, int Attempt)> _seen = new();

    public IReadOnlyList<(string Service, string? Key, int Attempt)> All => _seen.ToList();

    public void Add(ServiceContext context) => _seen.Enqueue((context.ServiceName, context.Key, context.Attempt));

    public int Count(string service) => All.Count(s => s.Service == service);
}

/// <summary>Answers with its key, attempt and request.</summary>
[Service("t.calls.echo")]
public sealed class KeyedEcho(CallLog log) : FanoutService<JsonElement, object>
{
    public override Task<object> HandleAsync(JsonElement request, ServiceContext context)
    {
        log.Add(context);
        return Task.FromResult<object>(new { key = context.Key, attempt = context.Attempt, request });
    }
}

/// <summary>Raises on every attempt, naming the attempt, so a test can tell which outcome was reported.</summary>
[Service("t.calls.fail")]
public sealed class AlwaysFails(CallLog log) : FanoutService<JsonElement, object>
{
    public override Task<object> HandleAsync(JsonElement request, ServiceContext context)
    {
        log.Add(context);
        throw new InvalidOperationException($"{context.Key} failed on attempt {context.Attempt}");
    }
}

/// <summary>Defers when asked to (request "defer"), else answers at once.</summary>
[Service("t.calls.defer")]
public sealed class SometimesDefers(CallLog log) : FanoutService<string, string>
{
    public override Task<string> HandleAsync(string request, ServiceContext context)
    {
        log.Add(context);
        if (request == "defer")
            context.Defer();
        return Task.FromResult("done");
    }
}

/// <summary>Waits for the test's gate when asked to (request "wait"), else answers at once.</summary>
[Service("t.calls.gated")]
public sealed class GatedCall(CallLog log, Gate gate) : FanoutService<string, string>
{
    public override async Task<string> HandleAsync(string request, ServiceContext context)
    {
        log.Add(context);
        if (request == "wait")
            await gate.Opened.WaitAsync(TimeSpan.FromSeconds(30), context.CancellationToken);
        return "done";
    }
}

/// <summary>Takes a while, and counts how many of its calls overlap.</summary>
[Service("t.calls.slow")]
public sealed class SlowCall(CallLog log, ConcurrencyMeter meter) : FanoutService<JsonElement, object?>
{
    public override async Task<object?> HandleAsync(JsonElement request, ServiceContext context)
    {
        log.Add(context);
        using (meter.Enter())
            await Task.Delay(30, context.CancellationToken);
        return null;
    }
}

/// <summary>A final callback: misused when named in on_target.</summary>
public sealed class FinalOnly(CallLog log) : FinalCallback
{
    protected override Task OnFinalAsync(FinalPayload payload, ServiceContext context)
    {
        log.Add(context);
        return Task.CompletedTask;
    }
}

/// <summary>A per-target callback: misused when named in on_final.</summary>
public sealed class TargetOnly(CallLog log) : TargetCallback
{
    protected override Task OnTargetAsync(TargetResultPayload payload, ServiceContext context)
    {
        log.Add(context);
        return Task.CompletedTask;
    }
}

/// <summary>A plain service whose request cannot bind from a callback payload.</summary>
public sealed class NeedsField(CallLog log) : FanoutService<NeedsField.Request, object?>
{
    public sealed record Request
    {
        [JsonPropertyName("needed")] public required string Needed { get; init; }
    }

    public override Task<object?> HandleAsync(Request request, ServiceContext context)
    {
        log.Add(context);
        return Task.FromResult<object?>(null);
    }
}
