using System.Collections.Concurrent;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Samples.Demo;

/// <summary>Counts completed fan-outs so the demo knows when the scenario is over.</summary>
public sealed class CompletionTracker
{
    readonly ConcurrentDictionary<string, FanoutCompleted> _completed = new();

    public int Count => _completed.Count;

    public void Add(FanoutCompleted completed) => _completed.TryAdd(completed.Cid, completed);
}

public sealed class CompletionWatcher(CompletionTracker tracker) : IConsumer<FanoutCompleted>
{
    public Task Consume(ConsumeContext<FanoutCompleted> context)
    {
        tracker.Add(context.Message);
        return Task.CompletedTask;
    }
}
