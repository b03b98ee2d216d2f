namespace Fanout.Tests.Calls;

/// <summary>Polls a condition until it holds or a timeout passes; a test's only way of waiting.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<T> read, Func<T, bool> done, string waitingFor, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {waitingFor}.");
            await Task.Delay(10);
        }
    }

    public static Task Until(Func<bool> condition, string waitingFor, TimeSpan? timeout = null) =>
        Get(condition, done => done, waitingFor, timeout);
}
