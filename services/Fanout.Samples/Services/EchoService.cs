using System.Text.Json;
using Fanout.Bus.Authoring;
using Fanout.Contracts;
using Fanout.Samples.Callbacks;

namespace Fanout.Samples.Services;

/// <summary>
/// One service in two roles: a target that echoes its request, and a final callback that prints what it got.
/// The channel in its context tells the roles apart.
/// </summary>
[Service("sample.echo")]
public sealed class EchoService(CallbackPrinter printer) : FanoutService<JsonElement, JsonElement>
{
    public override Task<JsonElement> HandleAsync(JsonElement request, ServiceContext context)
    {
        if (context.Channel == Channels.FanoutOnFinal)
            printer.Print(context.ServiceName, context.Channel, request);
        return Task.FromResult(request);
    }
}
