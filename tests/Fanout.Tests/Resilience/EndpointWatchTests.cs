using Fanout.Bus.Resilience;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Tests.Resilience;

public sealed class EndpointWatchTests
{
    static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    readonly EndpointWatch _watch = new(new ReconnectSettings { Interval = TimeSpan.FromSeconds(5), StuckAfter = TimeSpan.FromMinutes(2) });

    IReadOnlyList<string> At(double seconds, params (string, bool)[] endpoints) => _watch.Observe(T0.AddSeconds(seconds), endpoints);

    [Fact]
    public void An_endpoint_down_is_restarted_after_the_interval_and_again_after_each_further_interval()
    {
        Assert.Empty(At(0, ("a", false), ("b", true)));
        Assert.Empty(At(4.9, ("a", false), ("b", true)));
        Assert.Equal(["a"], At(5, ("a", false), ("b", true)));
        Assert.Empty(At(9, ("a", false), ("b", true)));
        Assert.Equal(["a"], At(10, ("a", false), ("b", true)));
    }

    [Fact]
    public void An_endpoint_that_consumed_again_starts_a_fresh_wait_when_it_goes_down_again()
    {
        At(0, ("a", false));
        Assert.Equal(["a"], At(5, ("a", false)));
        At(6, ("a", true));
        Assert.Empty(At(7, ("a", false)));
        Assert.Empty(At(11.9, ("a", false)));
        Assert.Equal(["a"], At(12, ("a", false)));
    }

    [Fact]
    public void Every_endpoint_down_is_a_broker_outage_not_a_stuck_process()
    {
        At(0, ("a", false), ("b", false));
        At(600, ("a", false), ("b", false));
        Assert.Equal(HealthStatus.Healthy, _watch.Liveness(T0.AddSeconds(600)).Status);
    }

    [Fact]
    public void One_endpoint_down_past_the_stuck_limit_while_another_consumes_makes_the_process_not_live()
    {
        At(0, ("a", false), ("b", true));
        At(119, ("a", false), ("b", true));
        Assert.Equal(HealthStatus.Healthy, _watch.Liveness(T0.AddSeconds(119)).Status);
        At(120, ("a", false), ("b", true));
        var live = _watch.Liveness(T0.AddSeconds(120));
        Assert.Equal(HealthStatus.Unhealthy, live.Status);
        Assert.Contains("a", live.Description);
        At(121, ("a", true), ("b", true));
        Assert.Equal(HealthStatus.Healthy, _watch.Liveness(T0.AddSeconds(121)).Status);
    }

    [Fact]
    public void Stuck_names_the_endpoints_down_past_the_limit_only_while_another_consumes()
    {
        At(0, ("a", false), ("b", true));
        At(119, ("a", false), ("b", true));
        Assert.Empty(_watch.Stuck(T0.AddSeconds(119)));
        At(120, ("a", false), ("b", true));
        Assert.Equal(["a"], _watch.Stuck(T0.AddSeconds(120)));
        At(121, ("a", false), ("b", false));
        Assert.Empty(_watch.Stuck(T0.AddSeconds(121)));
    }

    [Fact]
    public void An_endpoint_that_went_away_is_forgotten()
    {
        At(0, ("temporary", false), ("b", true));
        At(200, ("b", true));
        Assert.Equal(HealthStatus.Healthy, _watch.Liveness(T0.AddSeconds(200)).Status);
    }

    [Theory]
    [InlineData(typeof(ObjectDisposedException), false, true)]
    [InlineData(typeof(TimeoutException), true, true)]
    [InlineData(typeof(TimeoutException), false, false)]
    [InlineData(typeof(OperationCanceledException), false, false)]
    [InlineData(typeof(InvalidOperationException), true, false)]
    public void Publishes_are_retried_only_when_the_message_cannot_have_left_or_a_duplicate_is_harmless(Type exception, bool retryUnconfirmed,
        bool retried) =>
        Assert.Equal(retried, BoundedPublish.IsRetryable((Exception)Activator.CreateInstance(exception, "x")!, retryUnconfirmed));
}
