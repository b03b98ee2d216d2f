using System.Diagnostics;

namespace Fanout.Testing;

/// <summary>What a poll saw last, whether its condition held, and after how long.</summary>
public readonly record struct Polled<T>(T Last, bool Met, TimeSpan Elapsed);

/// <summary>
/// Observe, and again after each interval, until a condition holds or the limit passes. A limit reached is an
/// outcome, not an exception: the chaos harness records what it saw last and goes on to the next scenario;
/// <see cref="Eventually"/> turns it into a test failure. <see cref="Timeout.InfiniteTimeSpan"/>: no
/// limit (the condition itself says when to stop).
/// </summary>
public static class Polling
{
    public static async Task<Polled<T>> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan limit,
        TimeSpan interval, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await observe().ConfigureAwait(false);
            if (done(value))
                return new Polled<T>(value, true, clock.Elapsed);
            if (limit != Timeout.InfiniteTimeSpan && clock.Elapsed >= limit)
                return new Polled<T>(value, false, clock.Elapsed);
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Like the above, for a condition with nothing to report but whether it held.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan limit, TimeSpan interval,
        CancellationToken cancellationToken) =>
        (await UntilAsync(condition, met => met, limit, interval, cancellationToken).ConfigureAwait(false)).Met;
}
