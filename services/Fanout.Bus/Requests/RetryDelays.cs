using Fanout.Contracts;

namespace Fanout.Bus.Requests;

/// <summary>
/// The waits between a call's attempts: <c>delay_ms × 2^(attempt-2)</c>, each capped at
/// <see cref="FanoutRequestValidator.MaxRetryDelayMs"/>. Services wait them; the validator bounds their sum.
/// </summary>
public static class RetryDelays
{
    static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(FanoutRequestValidator.MaxRetryDelayMs);

    /// <summary>The wait before <paramref name="attempt"/> (2 or more).</summary>
    public static TimeSpan Before(int attempt, RetryPolicy policy)
    {
        var milliseconds = Math.Max(0, policy.DelayMs) * Math.Pow(2, attempt - 2);
        return milliseconds >= MaxDelay.TotalMilliseconds ? MaxDelay : TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>Every wait of the policy together.</summary>
    public static TimeSpan Total(RetryPolicy policy) =>
        Enumerable.Range(2, Math.Max(0, policy.Attempts - 1))
            .Aggregate(TimeSpan.Zero, (sum, attempt) => sum + Before(attempt, policy));
}
