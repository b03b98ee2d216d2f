using System.Collections.Concurrent;
using Fanout.Bus.Resilience;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Bus.Hosting.Calls;

/// <summary>
/// One <see cref="ResultSender"/> per service name in this process: the results of all its chunks and runs share it.
/// </summary>
public sealed class ResultSenders(IBus bus, BoundedPublish bounded, FanoutBusSettings settings)
{
    readonly ConcurrentDictionary<string, ResultSender> _senders = new();

    public ResultSender For(string service) =>
        _senders.GetOrAdd(service, name => new ResultSender(name, Publish,
            Math.Max(1, settings.Services.ResultBatchSize)));

    // Not tied to one chunk's delivery: the batch carries results of many. Bounded and retried like every publish.
    Task Publish(CallsCompletedForRuns message) =>
        bounded.RunAsync(token => bus.Publish(message, token), CancellationToken.None);
}
