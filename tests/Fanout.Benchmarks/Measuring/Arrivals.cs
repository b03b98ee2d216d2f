using System.Collections.Concurrent;
using System.Diagnostics;

namespace Fanout.Benchmarks.Measuring;

/// <summary>
/// When each key (a CID, an order id) was first seen arriving, as a <see cref="Stopwatch"/> timestamp of this process,
/// the same clock the submit times are taken from. A second arrival of a key is counted as a duplicate, not re-timed.
/// </summary>
public sealed class Arrivals(string what)
{
    readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _byKey = new();
    int _duplicates;

    /// <summary>Arrivals of a key already seen: a final callback or a <c>done</c> delivered twice.</summary>
    public int Duplicates => Volatile.Read(ref _duplicates);

    public void Record(string key)
    {
        if (!Slot(key).TrySetResult(Stopwatch.GetTimestamp()))
            Interlocked.Increment(ref _duplicates);
    }

    /// <summary>
    /// The arrival timestamps of <paramref name="keys"/>, in their order, once all arrived; a
    /// <see cref="TimeoutException"/> saying how many did when <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public async Task<long[]> WaitAllAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.WhenAll(keys.Select(k => Slot(k).Task)).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Says how far the run got, which a bare cancellation does not.
            throw new TimeoutException($"{keys.Count(k => Slot(k).Task.IsCompleted)} of {keys.Count} {what} arrived");
        }
    }

    public async Task<long> WaitAsync(string key, CancellationToken cancellationToken) => (await WaitAllAsync([key], cancellationToken))[0];

    TaskCompletionSource<long> Slot(string key) =>
        _byKey.GetOrAdd(key, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}
