using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Delivers committed outbox rows of the whole process, batched by opportunity: when no delivery is in flight, rows
/// handed over go at once; rows handed over while one is in flight wait and leave together in the next, coalesced
/// (<see cref="OutboxCoalescing"/>). No timer: at idle nothing waits; under load a batch is whatever committed during
/// the previous delivery's round trip. The rows of one group commit are handed over together at the commit
/// (<see cref="Enqueue"/>), and <see cref="Start"/> sends them as one batch. Rows not delivered stay stored for the
/// outbox relay, which hands its rows over here too.
/// </summary>
public sealed class OutboxDispatcher(OutboxDelivery delivery, ILogger<OutboxDispatcher> logger)
{
    readonly Lock _lock = new();
    List<Handover> _waiting = [];
    bool _delivering;

    /// <summary>Hands <paramref name="rows"/> over and starts a delivery if none is in flight.</summary>
    /// <returns>Completes when they were delivered; faults when any of them was not.</returns>
    public Task DeliverAsync(IReadOnlyList<OutboxMessage> rows)
    {
        var outcome = Enqueue(rows);
        Start();
        return outcome;
    }

    /// <summary>
    /// Hands <paramref name="rows"/> over without starting a delivery: a group commit hands over every member's rows
    /// this way, then any member's <see cref="Start"/> sends them all.
    /// </summary>
    public Task Enqueue(IReadOnlyList<OutboxMessage> rows)
    {
        var handover = new Handover(rows);
        if (rows.Count == 0)
            handover.Outcome.SetResult();
        else
            lock (_lock)
                _waiting.Add(handover);
        return handover.Outcome.Task;
    }

    /// <summary>Starts a delivery of the rows handed over, unless one is in flight (it takes them next).</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_delivering || _waiting.Count == 0)
                return;
            _delivering = true;
        }

        _ = DrainAsync();
    }

    async Task DrainAsync()
    {
        while (true)
        {
            List<Handover> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _delivering = false;
                    return;
                }

                (batch, _waiting) = (_waiting, []);
            }

            await DeliverAsync(batch).ConfigureAwait(false);
        }
    }

    async Task DeliverAsync(List<Handover> batch)
    {
        IReadOnlySet<Guid> undelivered;
        Exception? failure;
        try
        {
            // Not the caller's token: one batch carries many callers' rows; OutboxDelivery bounds its time.
            (undelivered, failure) = await delivery.TryDeliverAsync(
                batch.SelectMany(h => h.Rows).ToList(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Delivery of {Count} handovers of outbox rows failed", batch.Count);
            (undelivered, failure) = (batch.SelectMany(h => h.Rows).Select(r => r.Id).ToHashSet(), ex);
        }

        foreach (var handover in batch)
            if (handover.Rows.Any(r => undelivered.Contains(r.Id)))
                handover.Outcome.TrySetException(
                    new InvalidOperationException("Some outbox messages could not be delivered.", failure));
            else
                handover.Outcome.TrySetResult();
    }

    sealed class Handover(IReadOnlyList<OutboxMessage> rows)
    {
        public IReadOnlyList<OutboxMessage> Rows { get; } = rows;
        public TaskCompletionSource Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
