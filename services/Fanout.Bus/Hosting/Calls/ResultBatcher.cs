using System.Threading.Channels;
using Fanout.Contracts;

namespace Fanout.Bus.Hosting.Calls;

/// <summary>
/// Collects the results of one chunk's calls and hands them to <c>publish</c> in batches: when
/// <see cref="ServiceHostSettings.ResultBatchSize"/> results are waiting, when the oldest waited
/// <see cref="ServiceHostSettings.ResultFlushInterval"/>, and at the end. Publishes run one at a time, in order.
/// </summary>
public sealed class ResultBatcher : IAsyncDisposable
{
    readonly Channel<CallResult> _results = Channel.CreateUnbounded<CallResult>(new() { SingleReader = true });
    readonly Func<IReadOnlyList<CallResult>, Task> _publish;
    readonly int _batchSize;
    readonly TimeSpan _interval;
    readonly Task _flushing;

    public ResultBatcher(
        Func<IReadOnlyList<CallResult>, Task> publish, ServiceHostSettings settings, CancellationToken token)
    {
        _publish = publish;
        _batchSize = Math.Max(1, settings.ResultBatchSize);
        _interval = settings.ResultFlushInterval;
        _flushing = Task.Run(() => FlushAsync(token), token);
    }

    public void Add(CallResult result) => _results.Writer.TryWrite(result);

    /// <summary>Publishes what is left and waits for every publish; throws if one failed.</summary>
    public Task CompleteAsync()
    {
        _results.Writer.TryComplete();
        return _flushing;
    }

    /// <summary>
    /// Stops the flusher when the chunk did not complete (its error is the chunk's, reported elsewhere).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _results.Writer.TryComplete();
        await _flushing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    async Task FlushAsync(CancellationToken token)
    {
        var reader = _results.Reader;
        while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
        {
            var batch = new List<CallResult>(_batchSize);
            using (var window = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                window.CancelAfter(_interval);
                try
                {
                    while (true)
                    {
                        while (batch.Count < _batchSize && reader.TryRead(out var result))
                            batch.Add(result);
                        if (batch.Count >= _batchSize
                            || !await reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                            break;
                    }
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    // The window elapsed: publish what has arrived so far.
                }
            }
            await _publish(batch).ConfigureAwait(false);
        }
    }
}
