using Fanout.Contracts;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Fifo.Consumers;

/// <summary>
/// Batches single submissions by opportunity, never by timer: a submission that finds no intake running starts one at
/// once; those that arrive while it stores, announces and queues go together in the next (up to
/// <see cref="MaxBatch"/>), in delivery order, one transaction each. Every submission is answered with its own order;
/// a failed intake fails each of its deliveries, which are retried on their own.
/// </summary>
public sealed class PendingSubmissions(IServiceScopeFactory scopes)
{
    /// <summary>Most submissions stored in one transaction.</summary>
    public const int MaxBatch = 100;

    readonly object _lock = new();
    readonly List<Pending> _waiting = [];
    bool _storing;

    sealed record Pending(ConsumeContext<SubmitOrder> Context, ulong DeliveryTag, TaskCompletionSource Stored);

    /// <summary>Completes once the submission's order is stored, announced, answered and handed to its queue.</summary>
    public Task StoreAsync(ConsumeContext<SubmitOrder> context)
    {
        var tag = context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.DeliveryTag : 0UL;
        var pending = new Pending(context, tag,
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_lock)
        {
            _waiting.Add(pending);
            start = !_storing;
            _storing = true;
        }

        if (start)
            _ = Task.Run(StoreWhileWaitingAsync);
        return pending.Stored.Task;
    }

    async Task StoreWhileWaitingAsync()
    {
        while (TakeNext() is { } batch)
        {
            try
            {
                await StoreBatchAsync(batch);
                foreach (var submission in batch)
                    submission.Stored.TrySetResult();
            }
            catch (Exception ex)
            {
                foreach (var submission in batch)
                    submission.Stored.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// The waiting submissions in delivery order (the order of arrival on the registry queue; their consumers may have
    /// reached here out of it), up to <see cref="MaxBatch"/>; null (and no intake running) when none wait.
    /// </summary>
    List<Pending>? TakeNext()
    {
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                _storing = false;
                return null;
            }

            var batch = _waiting.Select((p, i) => (Pending: p, Index: i))
                .OrderBy(p => p.Pending.DeliveryTag).ThenBy(p => p.Index)
                .Take(MaxBatch).Select(p => p.Pending).ToList();
            foreach (var taken in batch)
                _waiting.Remove(taken);
            return batch;
        }
    }

    async Task StoreBatchAsync(List<Pending> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var intake = scope.ServiceProvider.GetRequiredService<OrderIntake>();
        var orders = batch.Select(s => new NewOrder(
            s.Context.MessageId is { } id ? OrderIds.For(id) : OrderIds.New(), s.Context.Message.Fifo,
            s.Context.Message.Parameters)).ToList();
        // Published and sent through the first delivery's context: the intake's messages are one set for all.
        await intake.StoreAndQueueAsync(batch[0].Context, orders,
            documents => Task.WhenAll(batch.Select((s, i) => s.Context.RespondAsync(documents[i]))),
            batch.Min(s => s.Context.SentTime));
    }
}
