using Fanout.Bus;
using Fanout.Samples.Callbacks;
using Fanout.Samples.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fanout.Samples;

public static class SampleRegistration
{
    /// <summary>Every reference service and callback, each on its own queue.</summary>
    public static FanoutBusBuilder AddSamples(this FanoutBusBuilder bus)
    {
        bus.Services.TryAddSingleton<CallbackPrinter>();
        return bus
            .AddService<Service1>()
            .AddService<Service2>()
            .AddService<FailingService>()
            .AddService<FlakyService>()
            .AddService<EchoService>()
            .AddService<CallerService>()
            .AddService<MyTargetCallback1>()
            .AddService<MyTargetCallback2>()
            .AddService<MyCallback1>()
            .AddService<MyCallback2>();
    }
}
