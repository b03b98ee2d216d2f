using System.Collections.Concurrent;

namespace Fanout.Bus.Hosting.Calls;

/// <summary>One semaphore per service name: bounds how many of its calls run at once in this process.</summary>
public sealed class CallSlots(FanoutBusSettings settings)
{
    readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new();

    public SemaphoreSlim For(string service) =>
        _slots.GetOrAdd(service, _ => new SemaphoreSlim(Math.Max(1, settings.Services.CallConcurrency)));
}
