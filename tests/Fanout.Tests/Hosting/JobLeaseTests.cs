using Fanout.Orchestrator.Hosting;
using Fanout.Storage;
using Fanout.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.Hosting;

/// <summary>
/// Two orchestrator processes on one database, as two <see cref="JobLeases"/> (two holders) on one real store: only one
/// holds a job at a time, the holder keeps it while it renews, and the other takes it over once it stopped renewing.
/// </summary>
public class JobLeaseTests
{
    sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task One_holder_at_a_time_and_the_other_takes_over_when_the_holder_stops_renewing()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var scopes = bus.Services.GetRequiredService<IServiceScopeFactory>();
        var gate = bus.Services.GetRequiredService<DatabaseWriteGate>();
        var first = new JobLeases(scopes, gate, time);
        var second = new JobLeases(scopes, gate, time);
        Assert.NotEqual(first.Holder, second.Holder);

        Assert.True(await first.HoldAsync("test-job", CancellationToken.None));
        Assert.False(await second.HoldAsync("test-job", CancellationToken.None));
        // Another job is a lease of its own.
        Assert.True(await second.HoldAsync("other-job", CancellationToken.None));

        // The holder renews past the first expiry; the other still cannot take it.
        time.Now += TimeSpan.FromSeconds(10);
        Assert.True(await first.HoldAsync("test-job", CancellationToken.None));
        time.Now += TimeSpan.FromSeconds(10);
        Assert.False(await second.HoldAsync("test-job", CancellationToken.None));

        // The holder stops renewing (it died): after the lease's duration the other takes it, and the first has lost it.
        time.Now += JobLeases.Duration + TimeSpan.FromSeconds(1);
        Assert.True(await second.HoldAsync("test-job", CancellationToken.None));
        Assert.False(await first.HoldAsync("test-job", CancellationToken.None));
    }
}
