namespace Fanout.Benchmarks.Measuring;

public static class Submissions
{
    /// <summary>
    /// Starts all <paramref name="count"/> submissions at once and waits for every acknowledgement; when the wait is
    /// cancelled, a <see cref="TimeoutException"/> says how many were acknowledged by then.
    /// </summary>
    public static async Task<T[]> AllAtOnceAsync<T>(int count, Func<int, Task<T>> submit, string what, CancellationToken cancellationToken)
    {
        var acknowledged = 0;
        var submissions = Enumerable.Range(0, count).Select(async i =>
        {
            var answer = await submit(i);
            Interlocked.Increment(ref acknowledged);
            return answer;
        }).ToArray();
        try
        {
            return await Task.WhenAll(submissions);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Volatile.Read(ref acknowledged)} of {count} {what} acknowledged");
        }
    }
}
