using Fanout.Bus.Requests;
using Fanout.Bus.Hosting.Calls;
using Fanout.Contracts;
using static Fanout.Tests.Calls.ServiceHost;

namespace Fanout.Tests.Calls;

/// <summary>A call that raised is tried again as its policy allows; only the last attempt is reported.</summary>
public class RetryTests
{
    static readonly RetryPolicy ThreeAttempts = new() { Attempts = 3, DelayMs = 20 };

    [Fact]
    public async Task A_call_that_keeps_failing_reports_only_its_last_attempt()
    {
        await using var host = await StartAsync();
        var chunk = Chunk("t.calls.fail", Call("retried", retry: ThreeAttempts), Call("once"));

        await host.Consumed(await host.SendAsync(chunk));

        var results = host.Results(chunk.Cid).ToDictionary(r => r.Key);
        Assert.Equal(2, results.Count);
        Assert.False(results["retried"].Ok);
        Assert.Equal(3, results["retried"].Attempts);
        Assert.Contains("retried failed on attempt 3", results["retried"].Exception);
        Assert.DoesNotContain("attempt 2", results["retried"].Exception);
        Assert.Equal(1, results["once"].Attempts);
        Assert.Equal([1, 2, 3], host.Log.All.Where(s => s.Key == "retried").Select(s => s.Attempt));
    }

    [Fact]
    public void The_delay_doubles_from_delay_ms_on_each_further_attempt()
    {
        var policy = new RetryPolicy { Attempts = 5, DelayMs = 200 };
        Assert.Equal([200, 400, 800, 1600], new[] { 2, 3, 4, 5 }.Select(a => RetryDelays.Before(a, policy).TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMinutes(5), RetryDelays.Before(40, policy));
    }

    [Fact]
    public async Task Sample_flaky_with_fail_times_2_succeeds_on_attempt_3()
    {
        await using var host = await StartAsync();
        var chunk = Chunk("sample.flaky",
            Call("enough", new { fail_times = 2 }, ThreeAttempts),
            Call("too-few", new { fail_times = 2 }, new RetryPolicy { Attempts = 2, DelayMs = 20 }));

        await host.Consumed(await host.SendAsync(chunk));

        var results = host.Results(chunk.Cid).ToDictionary(r => r.Key);
        Assert.True(results["enough"].Ok, results["enough"].Exception);
        Assert.Equal(3, results["enough"].Attempts);
        Assert.Equal(3, results["enough"].Response!.Value.GetProperty("attempt").GetInt32());
        Assert.False(results["too-few"].Ok);
        Assert.Equal(2, results["too-few"].Attempts);
        Assert.Contains("fails invocation 2 of 2", results["too-few"].Exception);
    }
}
