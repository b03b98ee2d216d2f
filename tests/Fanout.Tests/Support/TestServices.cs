using System.Text.Json;
using Fanout.Bus.Authoring;

namespace Fanout.Tests.Support;

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
