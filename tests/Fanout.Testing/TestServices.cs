using System.Text.Json;
using Fanout.Bus.Authoring;

namespace Fanout.Testing;

/// <summary>A target that echoes its request and records the context it saw.</summary>
[Service("t.ok")]
public sealed class OkTarget(Recorder recorder) : FanoutService<JsonElement, object>
{
    public override Task<object> HandleAsync(JsonElement request, ServiceContext context)
    {
        recorder.Add(new Invocation(context.ServiceName, context.Channel, context.Cid, context.Source, request));
        return Task.FromResult<object>(new { echo = request, cid = context.Cid });
    }
}

/// <summary>A target that always throws.</summary>
[Service("t.boom")]
public sealed class ThrowingTarget(Recorder recorder) : FanoutService<JsonElement, object>
{
    public override Task<object> HandleAsync(JsonElement request, ServiceContext context)
    {
        recorder.Add(new Invocation(context.ServiceName, context.Channel, context.Cid, context.Source, request));
        throw new InvalidOperationException("boom from t.boom");
    }
}

/// <summary>A target that waits until the test opens its gate.</summary>
[Service("t.gated")]
public sealed class GatedTarget(Recorder recorder, Gate gate) : FanoutService<JsonElement, object>
{
    public override async Task<object> HandleAsync(JsonElement request, ServiceContext context)
    {
        recorder.Add(new Invocation(context.ServiceName, context.Channel, context.Cid, context.Source, request));
        await gate.Opened.WaitAsync(TimeSpan.FromSeconds(30));
        return "released";
    }
}

public sealed class Gate
{
    readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Task Opened => _opened.Task;
    public void Open() => _opened.TrySetResult();
}

/// <summary>Records every invocation in any role; registered under several callback names.</summary>
public sealed class RecordingCallback(Recorder recorder) : FanoutService<JsonElement, object?>
{
    public override Task<object?> HandleAsync(JsonElement request, ServiceContext context)
    {
        recorder.Add(new Invocation(context.ServiceName, context.Channel, context.Cid, context.Source, request));
        return Task.FromResult<object?>(null);
    }
}

/// <summary>An unnamed subscriber to every callback message.</summary>
public sealed class CallbackObserver(Recorder recorder) :
    MassTransit.IConsumer<Fanout.Contracts.TargetCallbackRequested>, MassTransit.IConsumer<Fanout.Contracts.FinalCallbackRequested>
{
    public Task Consume(MassTransit.ConsumeContext<Fanout.Contracts.TargetCallbackRequested> context)
    {
        var m = context.Message;
        recorder.Add(new Invocation("observer:" + m.Callback, "observed:" + m.Channel, m.Payload.Cid, m.Payload.Source, JsonSerializer.SerializeToElement(m.Payload)));
        return Task.CompletedTask;
    }

    public Task Consume(MassTransit.ConsumeContext<Fanout.Contracts.FinalCallbackRequested> context)
    {
        var m = context.Message;
        recorder.Add(new Invocation("observer:" + m.Callback, "observed:" + m.Channel, m.Cid, m.Payload.Source, JsonSerializer.SerializeToElement(m.Payload)));
        return Task.CompletedTask;
    }
}

/// <summary>A target that accepts and defers: its result is posted later by the test, with the token it saw.</summary>
[Fanout.Bus.Authoring.Service("t.deferred")]
public sealed class DeferredTarget(Recorder recorder, DeferredTokens tokens) : FanoutService<JsonElement, object?>
{
    public override Task<object?> HandleAsync(JsonElement request, ServiceContext context)
    {
        recorder.Add(new Invocation(context.ServiceName, context.Channel, context.Cid, context.Source, request));
        tokens.Remember(context.Cid, context.ServiceName, context.CompletionToken!, context.CallbackUrl!, context.CompletionHandle!);
        context.Defer();
        return Task.FromResult<object?>(null);
    }
}

/// <summary>Tokens and callback URLs the deferred target was given, by CID and target.</summary>
public sealed class DeferredTokens
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), (string Token, string Url)> _tokens = new();
    readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string> _handles = new();

    public void Remember(string cid, string target, string token, string url, string handle)
    {
        _tokens[(cid, target)] = (token, url);
        _handles[(cid, target)] = handle;
    }

    public (string Token, string Url) Get(string cid, string target) => _tokens[(cid, target)];

    /// <summary>The completion handle the target handed out (what a partner would post back to /v1/results).</summary>
    public string Handle(string cid, string target) => _handles[(cid, target)];
}

/// <summary>Counts how many of its invocations run at the same time.</summary>
[Fanout.Bus.Authoring.Service("t.slow")]
public sealed class SlowTarget(Recorder recorder, ConcurrencyMeter meter) : FanoutService<JsonElement, object?>
{
    public override async Task<object?> HandleAsync(JsonElement request, ServiceContext context)
    {
        recorder.Add(new Invocation(context.ServiceName, context.Channel, context.Cid, context.Source, request));
        using (meter.Enter())
            await Task.Delay(100);
        return null;
    }
}

public sealed class ConcurrencyMeter
{
    int _current;
    int _max;

    public int Max => Volatile.Read(ref _max);

    public IDisposable Enter()
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen) { }
        return new Exit(this);
    }

    sealed class Exit(ConcurrencyMeter meter) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref meter._current);
    }
}
