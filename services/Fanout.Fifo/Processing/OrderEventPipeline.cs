using Fanout.Contracts;
using MassTransit;

namespace Fanout.Fifo.Processing;

/// <summary>
/// The status events of the orders one delivery processes, published without holding the line on their confirms: an
/// order's final event leaves only once its processing event is confirmed, and every event is confirmed before the
/// delivery is acknowledged. A failed publish stops the line at the next order. An order whose final event is confirmed
/// joins <see cref="FinishedOrders"/>; one whose final event failed does not, so its delivery publishes it again.
/// </summary>
internal sealed class OrderEventPipeline(
    IPublishEndpoint publisher, FinishedOrders finishedOrders, CancellationToken cancellationToken)
{
    /// <summary>Unconfirmed events beyond this make the line wait for the oldest.</summary>
    const int MaxInFlight = 256;

    readonly Queue<Task> _inFlight = new();

    /// <summary>Publishes at once; the returned task is the confirm, to chain the order's final event on.</summary>
    public async Task<Task> ProcessingAsync(OrderDocument order)
    {
        await ThrowIfFailedAsync();
        return Track(Publish(order));
    }

    /// <summary>Published once <paramref name="processing"/> is confirmed.</summary>
    public void Finished(Task processing, OrderDocument order) => Track(After(processing, order));

    /// <summary>Every event confirmed (or the first failure thrown).</summary>
    public Task ConfirmedAsync() => Task.WhenAll(_inFlight);

    async Task After(Task processing, OrderDocument order)
    {
        await processing.ConfigureAwait(false);
        await Publish(order).ConfigureAwait(false);
        finishedOrders.Add(order.OrderId);
    }

    Task Publish(OrderDocument order) => publisher.Publish(new OrderStatusChanged { Order = order }, cancellationToken);

    Task Track(Task published)
    {
        _inFlight.Enqueue(published);
        return published;
    }

    async Task ThrowIfFailedAsync()
    {
        while (_inFlight.TryPeek(out var oldest) && (oldest.IsCompleted || _inFlight.Count > MaxInFlight))
        {
            await oldest.ConfigureAwait(false);
            _ = _inFlight.Dequeue();
        }

        if (_inFlight.FirstOrDefault(t => t.IsFaulted || t.IsCanceled) is { } failed)
            await failed.ConfigureAwait(false);
    }
}
