namespace Fanout.Fifo.Processing;

/// <summary>
/// Orders in a final state (done or discarded) whose final event this process saw confirmed, most recent first out of
/// memory. A worker that ran ahead of the deliveries skips their deliveries from here instead of reading each order
/// back. Final states never change, so remembering them is always right; forgetting one only costs a read and a
/// repeated event. An order whose final event was not confirmed is never here: its delivery publishes it again.
/// </summary>
public sealed class FinishedOrders
{
    const int Capacity = 10_000;

    readonly HashSet<string> _ids = [];
    readonly Queue<string> _oldestFirst = new();

    public bool Contains(string orderId)
    {
        lock (_ids)
            return _ids.Contains(orderId);
    }

    public void Add(string orderId)
    {
        lock (_ids)
        {
            if (!_ids.Add(orderId))
                return;
            _oldestFirst.Enqueue(orderId);
            if (_oldestFirst.Count > Capacity)
                _ids.Remove(_oldestFirst.Dequeue());
        }
    }
}
