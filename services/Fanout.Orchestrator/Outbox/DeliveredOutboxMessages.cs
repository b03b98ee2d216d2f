using System.Collections.Concurrent;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Ids of outbox rows already delivered, waiting to be deleted in bulk by the relay: one delete per second
/// instead of one write per saga message. A crash before the delete means those rows are delivered once more;
/// receivers drop them by MessageId (services) or by target name (the saga).
/// </summary>
public sealed class DeliveredOutboxMessages
{
    readonly ConcurrentDictionary<Guid, byte> _ids = new();

    public void Add(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
            _ids.TryAdd(id, 0);
    }

    public bool Contains(Guid id) => _ids.ContainsKey(id);

    public IReadOnlyList<Guid> Snapshot() => _ids.Keys.ToList();

    public void Forget(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
            _ids.TryRemove(id, out _);
    }
}
