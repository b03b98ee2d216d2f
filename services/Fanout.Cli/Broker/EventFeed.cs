using System.Threading.Channels;
using MassTransit;

namespace Fanout.Cli.Broker;

/// <summary>
/// Events of one type from a temporary queue (deleted when the CLI exits), read as an async stream. A message
/// delivered twice (the orchestrator's outbox may re-deliver after a crash) is passed on once.
/// </summary>
public sealed class EventFeed<T> where T : class
{
    readonly Channel<T> _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    readonly HashSet<Guid> _seen = [];

    internal Task Accept(ConsumeContext<T> context)
    {
        lock (_seen)
            if (context.MessageId is { } id && !_seen.Add(id))
                return Task.CompletedTask;
        return _channel.Writer.WriteAsync(context.Message, context.CancellationToken).AsTask();
    }

    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken) =>
        _channel.Reader.ReadAllAsync(cancellationToken);

    public ChannelReader<T> Reader => _channel.Reader;
}
