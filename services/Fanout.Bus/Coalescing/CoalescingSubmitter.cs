using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Fanout.Bus.Coalescing;

/// <summary>
/// Carries concurrent submissions over the bus together, by opportunity, never by timer: what arrives while
/// <c>maxInFlight</c> requests are out leaves as one request (up to <c>maxBatch</c> items and <c>maxBatchBytes</c>;
/// a larger item goes alone), while a lone submission leaves at once. Each caller gets its own item's answer, or the
/// request's failure. A batch is one <typeparamref name="TRequest"/> answered with one
/// <typeparamref name="TResponse"/>, within <c>timeout</c>. The gateway's routes and the client
/// (<c>IFanoutPatterns</c>) both submit through one of these. Its loop starts with the host or at the
/// first submission, whichever comes first, and ends when the host stops or the submitter is disposed. A request that
/// carries one item is sent in its caller's trace (the caller's span is its parent), one that carries several in a
/// trace of its own.
/// </summary>
public abstract class CoalescingSubmitter<TItem, TAnswer, TRequest, TResponse>(
    IBus bus, TimeSpan timeout, int maxInFlight, int maxBatch, long maxBatchBytes) : BackgroundService
    where TRequest : class
    where TResponse : class
{
    readonly Channel<Pending> _waiting =
        Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);
    int _waitingCount;
    int _started;

    /// <summary>Submissions waiting for a request to leave in (for tests and diagnostics).</summary>
    public int Waiting => Volatile.Read(ref _waitingCount);

    /// <summary>How long a request waits for its response.</summary>
    protected TimeSpan Timeout => timeout;

    /// <summary>The request that carries <paramref name="batch"/>.</summary>
    protected abstract TRequest Request(IReadOnlyList<TItem> batch);

    /// <summary>The response's answers, one per item, in order.</summary>
    protected abstract IReadOnlyList<TAnswer> Answers(TResponse response);

    /// <summary>Sends one request and waits for its response, within <see cref="Timeout"/>.</summary>
    protected virtual async Task<TResponse> SendAsync(TRequest request, CancellationToken cancellationToken) =>
        (await bus.CreateRequestClient<TRequest>(RequestTimeout.After(ms: (int)timeout.TotalMilliseconds))
            .GetResponse<TResponse>(request, cancellationToken).ConfigureAwait(false)).Message;

    /// <param name="item">What to submit.</param>
    /// <param name="bytes">The item's size on the wire, about; null counts as too large to share a request.</param>
    /// <param name="cancellationToken">
    /// The caller's: an item still waiting never leaves; one already sent stays in its request, only the wait ends.
    /// </param>
    protected async Task<TAnswer> SubmitAsync(TItem item, long? bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _started) == 0)
            await StartAsync(CancellationToken.None).ConfigureAwait(false);
        var pending = new Pending(item, bytes ?? maxBatchBytes, Activity.Current);
        Interlocked.Increment(ref _waitingCount);
        if (!_waiting.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _waitingCount);
            throw new InvalidOperationException("Submissions have stopped: the process is stopping.");
        }

        try
        {
            return await pending.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (pending.TryWithdraw())
                Interlocked.Decrement(ref _waitingCount);
            throw;
        }
    }

    /// <summary>Starts the loop once, whether the host or a first submission asks.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
            return Task.CompletedTask;
        // Not in the first caller's context: its span and log scope would wrap every later request.
        using (ExecutionContext.SuppressFlow())
            return base.StartAsync(cancellationToken);
    }

    /// <summary>Stops the loop; never started, it refuses submissions from now on all the same.</summary>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
            return base.StopAsync(cancellationToken);
        Close(CancellationToken.None);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _waiting.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var batch = Take();
                if (batch.Count == 0)
                    _slots.Release();
                else
                    _ = SendBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Close(stoppingToken);
        }
    }

    /// <summary>The next batch: what waits, in order, within the limits, less what its callers withdrew.</summary>
    List<Pending> Take()
    {
        var batch = new List<Pending>();
        var bytes = 0L;
        while (batch.Count < maxBatch && _waiting.Reader.TryPeek(out var next))
        {
            if (batch.Count > 0 && bytes + next.Bytes > maxBatchBytes && !next.IsWithdrawn)
                break;
            _waiting.Reader.TryRead(out _);
            if (!next.TryTake())
                continue;
            Interlocked.Decrement(ref _waitingCount);
            batch.Add(next);
            bytes += next.Bytes;
        }

        return batch;
    }

    async Task SendBatchAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        // Only this request's flow: an async method's change of the current span ends with it.
        Activity.Current = batch.Count == 1 ? batch[0].Caller : null;
        try
        {
            var response = await SendAsync(Request(batch.Select(p => p.Item).ToList()), stoppingToken)
                .ConfigureAwait(false);
            var answers = Answers(response);
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

    void Close(CancellationToken stoppingToken)
    {
        _waiting.Writer.TryComplete();
        while (_waiting.Reader.TryRead(out var pending))
            if (pending.TryTake())
            {
                Interlocked.Decrement(ref _waitingCount);
                pending.Answer.TrySetCanceled(stoppingToken);
            }
    }

    /// <summary>One submission: waiting, then taken into a request or withdrawn by its caller, never both.</summary>
    sealed class Pending(TItem item, long bytes, Activity? caller)
    {
        const int Queued = 0, Taken = 1, Withdrawn = 2;
        int _state;

        public TItem Item => item;
        public long Bytes => bytes;
        public Activity? Caller => caller;
        public TaskCompletionSource<TAnswer> Answer { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool IsWithdrawn => Volatile.Read(ref _state) == Withdrawn;
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;
        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;
    }
}
