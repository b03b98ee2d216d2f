using Fanout.Bus.Resilience;
using Fanout.Bus.Waiting;
using MassTransit;

namespace Fanout.Bus.Patterns;

/// <summary>Creates pattern clients that report a given service as their source.</summary>
public sealed class PatternsFactory(
    IBus bus, FanoutBusSettings settings, RunWaiter waiter, RunStatusReader status, BoundedPublish bounded,
    TimeProvider time)
{
    public IFanoutPatterns ForSource(string source) =>
        new PatternsClient(bus, source, settings.AcknowledgeTimeout, waiter, status, bounded, time);
}
