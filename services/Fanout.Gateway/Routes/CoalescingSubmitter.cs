using System.Threading.Channels;
using MassTransit;

namespace Fanout.Gateway.Routes;

/// <summary>
/// Carries concurrent submissions over the bus together, by opportunity, never by timer: what arrives while
/// <c>maxInFlight</c> requests are out leaves as one request (up to <c>maxBatch</c> items and <c>maxBatchBytes</c>;
/// a larger item goes alone), while a lone submission leaves at once. Each caller gets its own item's answer, or the
/// request's failure (a timeout becomes the route's 503). A batch is one <typeparamref name="TRequest"/> answered
/// with one <typeparamref name="TResponse"/>, within <see cref="GatewaySettings.OrchestratorTimeout"/>.
/// </summary>
internal abstract class CoalescingSubmitter<TItem, TAnswer, TRequest, TResponse>(
    IBus bus, GatewaySettings settings, int maxInFlight, int maxBatch, long maxBatchBytes) : BackgroundService
    where TRequest : class
    where TResponse : class
{
    readonly Channel<Pending> _waiting =
        Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);
    int _waitingCount;

    /// <summary>Submissions waiting for a request to leave in (for tests and diagnostics).</summary>
    public int Waiting => Volatile.Read(ref _waitingCount);

    /// <summary>The request that carries <paramref name="batch"/>.</summary>
    protected abstract TRequest Request(IReadOnlyList<TItem> batch);

    /// <summary>The response's answers, one per item, in order.</summary>
    protected abstract IReadOnlyList<TAnswer> Answers(TResponse response);

    /// <param name="bytes">The item's size on the wire, about; null counts as too large to share a request.</param>
    /// <param name="cancellationToken">The caller's: ends its wait, not the request its item is in.</param>
    protected async Task<TAnswer> SubmitAsync(TItem item, long? bytes, CancellationToken cancellationToken)
    {
        var pending = new Pending(item, bytes ?? maxBatchBytes,
            new TaskCompletionSource<TAnswer>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _waitingCount);
        if (!_waiting.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _waitingCount);
            throw new InvalidOperationException("The gateway is stopping.");
        }

        return await pending.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _waiting.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var batch = new List<Pending>();
                var bytes = 0L;
                while (batch.Count < maxBatch && _waiting.Reader.TryPeek(out var next)
                       && (batch.Count == 0 || bytes + next.Bytes <= maxBatchBytes)
                       && _waiting.Reader.TryRead(out next))
                {
                    Interlocked.Decrement(ref _waitingCount);
                    batch.Add(next);
                    bytes += next.Bytes;
                }

                _ = SendBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _waiting.Writer.TryComplete();
            while (_waiting.Reader.TryRead(out var pending))
                pending.Answer.TrySetCanceled(stoppingToken);
        }
    }

    async Task SendBatchAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        try
        {
            var timeout = RequestTimeout.After(ms: (int)settings.OrchestratorTimeout.TotalMilliseconds);
            var response = await bus.CreateRequestClient<TRequest>(timeout)
                .GetResponse<TResponse>(Request(batch.Select(p => p.Item).ToList()), stoppingToken)
                .ConfigureAwait(false);
            var answers = Answers(response.Message);
            if (answers.Count != batch.Count)
                throw new InvalidOperationException(
                    $"{answers.Count} answers came back for the {batch.Count} submissions sent together.");
            for (var i = 0; i < batch.Count; i++)
                batch[i].Answer.TrySetResult(answers[i]);
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
                pending.Answer.TrySetException(ex);
        }
        finally
        {
            _slots.Release();
        }
    }

    sealed record Pending(TItem Item, long Bytes, TaskCompletionSource<TAnswer> Answer);
}
