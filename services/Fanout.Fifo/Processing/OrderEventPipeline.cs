using Fanout.Contracts;
using MassTransit;

namespace Fanout.Fifo.Processing;

/// <summary>
/// The status events of the orders one delivery processes, published without holding the line on their confirms and
/// batched by opportunity: one <see cref="OrderStatusChanges"/> is in flight at a time, and what was stored meanwhile
/// leaves in the next, in stored order (so an order's final event never overtakes its processing event). Every event
/// is confirmed before the delivery is acknowledged; a failed publish stops the line at the next order. An order whose
/// final event is confirmed joins <see cref="FinishedOrders"/>; one whose final event failed does not, so a delivery
/// ringing for it publishes it again.
/// </summary>
internal sealed class OrderEventPipeline(
    IPublishEndpoint publisher, FinishedOrders finishedOrders, CancellationToken cancellationToken)
{
    readonly object _lock = new();
    readonly List<OrderDocument> _waiting = [];
    Task _publishing = Task.CompletedTask;
    bool _running;
    Exception? _failure;

    /// <summary>Queues the order's event (its stored state); throws when an earlier publish failed.</summary>
    public void Add(OrderDocument order)
    {
        lock (_lock)
        {
            if (_failure is not null)
                throw new InvalidOperationException("an order event could not be published", _failure);
            _waiting.Add(order);
            if (_running)
                return;
            _running = true;
            _publishing = Task.Run(PublishWaitingAsync);
        }
    }

    /// <summary>Every event confirmed (or the first failure thrown).</summary>
    public async Task ConfirmedAsync()
    {
        while (true)
        {
            Task publishing;
            lock (_lock)
            {
                if (_failure is not null)
                    throw new InvalidOperationException("an order event could not be published", _failure);
                if (!_running)
                    return;
                publishing = _publishing;
            }

            await publishing.ConfigureAwait(false);
        }
    }

    async Task PublishWaitingAsync()
    {
        while (true)
        {
            List<OrderDocument> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return;
                }

                batch = [.. _waiting];
                _waiting.Clear();
            }

            try
            {
                await publisher.Publish(OrderStatusChanges.Of(batch), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                lock (_lock)
                {
                    _failure = ex;
                    _running = false;
                }

                return;
            }

            foreach (var order in batch.Where(o => o.Status is OrderStates.Done or OrderStates.Discarded))
                finishedOrders.Add(order.OrderId);
        }
    }
}
