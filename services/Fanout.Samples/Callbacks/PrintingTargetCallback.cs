using Fanout.Bus.Authoring;
using Fanout.Contracts;

namespace Fanout.Samples.Callbacks;

/// <summary>Per-target callbacks of the reference: they print what they receive.</summary>
public abstract class PrintingTargetCallback(CallbackPrinter printer) : TargetCallback
{
    protected override Task OnTargetAsync(TargetResultPayload payload, ServiceContext context)
    {
        printer.Print(context.ServiceName, context.Channel, payload);
        return Task.CompletedTask;
    }
}

[Service("my.target.callback1")]
public sealed class MyTargetCallback1(CallbackPrinter printer) : PrintingTargetCallback(printer);

[Service("my.target.callback2")]
public sealed class MyTargetCallback2(CallbackPrinter printer) : PrintingTargetCallback(printer);
