using Fanout.Bus.Authoring;
using Fanout.Contracts;

namespace Fanout.Samples.Callbacks;

/// <summary>Final callbacks of the reference: they print what they receive.</summary>
public abstract class PrintingFinalCallback(CallbackPrinter printer) : FinalCallback
{
    protected override Task OnFinalAsync(FinalPayload payload, ServiceContext context)
    {
        printer.Print(context.ServiceName, context.Channel, payload);
        return Task.CompletedTask;
    }
}

[Service("my.callback1")]
public sealed class MyCallback1(CallbackPrinter printer) : PrintingFinalCallback(printer);

[Service("my.callback2")]
public sealed class MyCallback2(CallbackPrinter printer) : PrintingFinalCallback(printer);
