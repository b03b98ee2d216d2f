using System.Collections.Concurrent;

namespace Fanout.Bus.Hosting;

/// <summary>
/// Remembers the ids of messages a service finished handling, so a redelivery of the same message
/// (for example an outbox row re-sent after an orchestrator crash) does not run the handler twice.
/// Bounded and in-process: it covers redeliveries while this process lives.
/// </summary>
public sealed class RecentMessages(int capacity = 100_000)
{
    readonly ConcurrentDictionary<(string, Guid), byte> _seen = new();
    readonly ConcurrentQueue<(string, Guid)> _order = new();
    readonly ConcurrentDictionary<(string, Guid), byte> _running = new();

    public bool WasHandled(string consumer, Guid? messageId) =>
        messageId is { } id && _seen.ContainsKey((consumer, id));

    /// <summary>
    /// Claims a message for handling: false when it was handled already or a copy of it is being handled right now
    /// (that copy's own delivery is acknowledged only when it finished, so skipping this one loses nothing).
    /// </summary>
    public bool TryStart(string consumer, Guid? messageId) =>
        messageId is not { } id || (!WasHandled(consumer, id) && _running.TryAdd((consumer, id), 0));

    /// <summary>
    /// Releases the claim of <see cref="TryStart"/>; <paramref name="handled"/> remembers the message as done.
    /// </summary>
    public void Finish(string consumer, Guid? messageId, bool handled)
    {
        if (handled)
            MarkHandled(consumer, messageId);
        if (messageId is { } id)
            _running.TryRemove((consumer, id), out _);
    }

    public void MarkHandled(string consumer, Guid? messageId)
    {
        if (messageId is not { } id || !_seen.TryAdd((consumer, id), 0))
            return;
        _order.Enqueue((consumer, id));
        while (_order.Count > capacity && _order.TryDequeue(out var oldest))
            _seen.TryRemove(oldest, out _);
    }
}
