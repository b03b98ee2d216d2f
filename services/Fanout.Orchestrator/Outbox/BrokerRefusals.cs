using System.Collections.Concurrent;
using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Sees the broker refuse a send for good. MassTransit retries a send whose channel the broker closed until the
/// caller gives up, so the caller sees only a timeout; the refusal itself (ACCESS_REFUSED on a reserved name,
/// NOT_FOUND) reaches send observers. A delivery <see cref="Watch"/>es its destination and stops at the first refusal.
/// </summary>
public sealed class BrokerRefusals : ISendObserver
{
    const ushort AccessRefused = 403;
    const ushort NotFound = 404;

    readonly ConcurrentDictionary<string, string> _refused = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<object, (string Entity, Action OnRefused)> _watches = new();

    /// <summary>
    /// The broker's reason when <paramref name="exception"/> (or an inner one) is a lasting refusal of
    /// <paramref name="entity"/>. A refusal closes the whole channel, and other sends on it fail with the same reason
    /// (<see cref="AlreadyClosedException"/>): only a reason that names the entity in quotes is this send's.
    /// </summary>
    public static string? PermanentReason(Exception? exception, string entity)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is OperationInterruptedException { ShutdownReason: { ReplyCode: AccessRefused or NotFound } reason }
                && reason.ReplyText.Contains($"'{entity}'", StringComparison.Ordinal))
                return $"{reason.ReplyCode} {reason.ReplyText}";
        return null;
    }

    /// <summary>
    /// The last refusal of sends to <paramref name="entity"/> (a queue or exchange name), while no send there has
    /// succeeded since.
    /// </summary>
    public string? ReasonFor(string entity) => _refused.GetValueOrDefault(entity);

    /// <summary>Calls <paramref name="onRefused"/> when a send to <paramref name="entity"/> is refused.</summary>
    public IDisposable Watch(string entity, Action onRefused)
    {
        var key = new object();
        _watches[key] = (entity, onRefused);
        return new Unwatch(() => _watches.TryRemove(key, out _));
    }

    /// <summary>The queue or exchange a send address names: its last path segment.</summary>
    public static string EntityOf(Uri address) =>
        address.IsAbsoluteUri && address.Scheme is "rabbitmq" or "amqp" or "amqps"
        ? address.AbsolutePath.Split('/')[^1]
        : address.OriginalString.Split(':', 2)[^1].Split('?')[0];

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class
    {
        if (context.DestinationAddress is null)
            return Task.CompletedTask;
        var entity = EntityOf(context.DestinationAddress);
        if (PermanentReason(exception, entity) is not { } reason)
            return Task.CompletedTask;
        _refused[entity] = reason;
        foreach (var watch in _watches.Values.Where(w => w.Entity == entity))
            watch.OnRefused();
        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context) where T : class
    {
        if (context.DestinationAddress is not null)
            _refused.TryRemove(EntityOf(context.DestinationAddress), out _);
        return Task.CompletedTask;
    }

    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    sealed class Unwatch(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
