using System.Diagnostics;

namespace Fanout.Testing;

/// <summary>
/// The one way tests wait for something to become true: observe, check, and observe again after a short poll
/// interval until the check holds or the timeout passes. A timeout fails with what was awaited and the last value
/// observed, never silently.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Observes until <paramref name="done"/> holds for the observed value; returns that value.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> observe, Func<T, bool> done, string awaited, TimeSpan? timeout = null,
        Func<T, string>? describe = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var polled = await Polling.UntilAsync(observe, done, limit, PollInterval, CancellationToken.None)
            .ConfigureAwait(false);
        return polled.Met
            ? polled.Last
            : throw new TimeoutException(
                $"Timed out after {limit.TotalSeconds:0.#} s waiting for {awaited}. Last observed: {(describe ?? Describe)(polled.Last)}");
    }

    /// <inheritdoc cref="Until{T}(Func{Task{T}}, Func{T, bool}, string, TimeSpan?, Func{T, string}?)"/>
    public static Task<T> Until<T>(Func<T> observe, Func<T, bool> done, string awaited, TimeSpan? timeout = null,
        Func<T, string>? describe = null) =>
        Until(() => Task.FromResult(observe()), done, awaited, timeout, describe);

    /// <summary>
    /// Runs <paramref name="assertion"/> until it stops throwing; a timeout rethrows the last failure, wrapped in a
    /// <see cref="TimeoutException"/> that says what was awaited.
    /// </summary>
    public static async Task Holds(Func<Task> assertion, string awaited, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await assertion().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (clock.Elapsed <= limit)
            {
                _ = ex;
            }
            catch (Exception ex)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {awaited}. Last failure: {ex.Message}", ex);
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="Holds(Func{Task}, string, TimeSpan?)"/>
    public static Task Holds(Action assertion, string awaited, TimeSpan? timeout = null) =>
        Holds(() => { assertion(); return Task.CompletedTask; }, awaited, timeout);

    static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(i => i?.ToString())) + "]",
        _ => value.ToString() ?? "",
    };
}
