using System.Collections.Concurrent;
using MassTransit;

namespace Fanout.Tests.Calls;

/// <summary>
/// Records what the bus published and sent and which messages finished consuming, as it happens. The test harness's own
/// lists wait for the bus to fall idle before answering, and count a message id once, however many copies came.
/// </summary>
public sealed class BusObserver : IPublishObserver, ISendObserver, IConsumeObserver
{
    readonly ConcurrentQueue<object> _published = new();
    readonly ConcurrentQueue<object> _sent = new();
    readonly ConcurrentQueue<Guid?> _consumed = new();

    public IReadOnlyList<T> Published<T>() => _published.OfType<T>().ToList();

    /// <summary>Messages of this type the bus sent (MassTransit sends what it publishes too).</summary>
    public IReadOnlyList<T> Sent<T>() => _sent.OfType<T>().ToList();

    /// <summary>Copies of this message id that finished consuming, ok or faulted.</summary>
    public int Consumed(Guid messageId) => _consumed.Count(id => id == messageId);

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        _published.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        _consumed.Enqueue(context.MessageId);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => PostConsume(context);

    public Task PostSend<T>(SendContext<T> context) where T : class
    {
        _sent.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;
    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;
}
