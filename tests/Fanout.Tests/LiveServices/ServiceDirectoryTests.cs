using Fanout.Contracts;
using Fanout.Orchestrator.LiveServices;
using Fanout.Storage;
using Fanout.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fanout.Tests.LiveServices;

/// <summary>
/// The directory on a real store with a fake clock: instances live while they announce, then are forgotten.
/// </summary>
public sealed class ServiceDirectoryTests
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    static ServicesAnnounced Announce(string instance, TimeSpan interval, params string[] services) => new()
    {
        InstanceId = instance, Services = services, Host = "host-" + instance, ProcessId = 42, Version = "1.2.3",
        Concurrency = 8, StartedAtUtc = DateTime.UtcNow.AddMinutes(-1), IntervalMs = (long)interval.TotalMilliseconds,
    };

    static async Task<(EmbeddedBus Bus, ServiceDirectory Directory, FakeTimeProvider Time)> Start()
    {
        var bus = await EmbeddedBus.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var directory = new ServiceDirectory(bus.Services.GetRequiredService<IServiceScopeFactory>(),
            bus.Services.GetRequiredService<DatabaseWriteGate>(), time);
        return (bus, directory, time);
    }

    [Fact]
    public async Task An_instance_lives_while_it_announces_and_is_forgotten_after_missing_several()
    {
        var (bus, directory, time) = await Start();
        await using var _ = bus;
        await directory.RecordAsync(Announce("a", Interval, "svc.one", "svc.two"), CancellationToken.None);
        await directory.RecordAsync(Announce("b", Interval, "svc.one"), CancellationToken.None);

        var list = await directory.ListAsync(CancellationToken.None);
        Assert.Equal(["svc.one", "svc.two"], list.Services.Select(s => s.Service));
        Assert.Equal(["host-a", "host-b"], list.Services[0].Instances.Select(i => i.Host));
        Assert.Equal(time.GetUtcNow().UtcDateTime, list.Services[0].Instances[0].LastSeenUtc);

        // b keeps announcing, a falls silent: two missed announcements are forgiven, the third is not.
        time.Advance(Interval * 2);
        await directory.RecordAsync(Announce("b", Interval, "svc.one"), CancellationToken.None);
        Assert.Equal(2, (await directory.ListAsync(CancellationToken.None)).Services.Count);
        time.Advance(Interval + TimeSpan.FromSeconds(1));

        list = await directory.ListAsync(CancellationToken.None);
        Assert.Equal("svc.one", Assert.Single(list.Services).Service);
        Assert.Equal("host-b", Assert.Single(list.Services[0].Instances).Host);
        Assert.Equal(["svc.two", "nobody"], await directory.MissingAsync(["svc.one", "svc.two", "nobody"],
            CancellationToken.None));
    }

    [Fact]
    public async Task A_goodbye_forgets_the_instance_at_once_and_a_new_name_is_seen_without_waiting_for_the_cache()
    {
        var (bus, directory, time) = await Start();
        await using var _ = bus;
        await directory.RecordAsync(Announce("a", Interval, "svc.one"), CancellationToken.None);
        Assert.Empty(await directory.MissingAsync(["svc.one"], CancellationToken.None));

        await directory.RecordAsync(Announce("c", Interval, "svc.late"), CancellationToken.None);
        Assert.Empty(await directory.MissingAsync(["svc.one", "svc.late"], CancellationToken.None));

        await directory.RecordAsync(Announce("a", TimeSpan.Zero, "svc.one"), CancellationToken.None);
        Assert.Equal(["svc.late"], (await directory.ListAsync(CancellationToken.None)).Services.Select(s => s.Service));
    }

    [Fact]
    public async Task An_instance_s_calls_are_kept_and_a_host_without_counters_lists_none()
    {
        var (bus, directory, _) = await Start();
        await using var _ = bus;
        var counts = new ServiceCallCounts
        {
            InFlight = 2, CallsLastMinute = 40, FailuresLastMinute = 3, CallsTotal = 400, FailuresTotal = 7,
        };
        await directory.RecordAsync(Announce("a", Interval, "svc.one") with
        {
            Calls = new Dictionary<string, ServiceCallCounts> { ["svc.one"] = counts },
        }, CancellationToken.None);
        await directory.RecordAsync(Announce("old", Interval, "svc.one"), CancellationToken.None);

        var instances = (await directory.ListAsync(CancellationToken.None)).Services.Single().Instances;
        Assert.Equal(counts, instances.Single(i => i.Host == "host-a").Calls);
        Assert.Null(instances.Single(i => i.Host == "host-old").Calls);
    }
}
