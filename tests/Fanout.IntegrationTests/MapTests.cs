using System.Diagnostics;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>Map runs (many calls to one service) on RabbitMQ: orchestrator and service hosts on a vhost of their own.</summary>
[Collection(BrokerCollection.Name)]
public sealed class MapTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    Task<BusHost> StartOrchestrator(int inlineResultsLimit = 1000) =>
        BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, configuration) => bus.AddOrchestrator(configuration),
            new Dictionary<string, string?> { ["Fanout:Orchestrator:InlineResultsLimit"] = inlineResultsLimit.ToString() });

    Task<BusHost> StartServices() => BusHost.StartAsync(Url, null, (bus, _) =>
    {
        bus.Services.AddSingleton<FinalSignals>();
        bus.AddService<OkTarget>().AddService<NoopTarget>().AddService<SignallingFinalCallback>("it.map.final");
    });

    [Fact]
    public async Task A_map_of_10000_calls_completes_with_every_key_in_data()
    {
        await using var orchestrator = await StartOrchestrator(inlineResultsLimit: 20_000);
        await using var services = await StartServices();
        var bus = services.Services.GetRequiredService<IBus>();

        var clock = Stopwatch.StartNew();
        var cid = await MapRuns.Start(bus, MapRuns.Request("it.noop", 10_000, "it.map.final"));
        var accepted = clock.Elapsed;
        var payload = await services.Services.GetRequiredService<FinalSignals>().For(cid).Task.WaitAsync(TimeSpan.FromMinutes(2));
        output.WriteLine($"10,000-call map (in-process hosts): accepted after {accepted.TotalSeconds:0.00} s, final callback after {clock.Elapsed.TotalSeconds:0.00} s");

        var data = payload.GetProperty("data");
        Assert.Equal(10_001, data.EnumerateObject().Count());
        Assert.All(Enumerable.Range(0, 10_000), i => Assert.True(data.GetProperty($"it.noop#{i}").GetProperty("ok").GetBoolean()));
        Assert.Equal("it.noop", data.GetProperty("it.noop#9999").GetProperty("service").GetString());
    }

    [Fact]
    public async Task Over_the_inline_limit_the_results_are_read_in_pages()
    {
        await using var orchestrator = await StartOrchestrator(inlineResultsLimit: 100);
        await using var services = await StartServices();
        var bus = services.Services.GetRequiredService<IBus>();

        var cid = await MapRuns.Start(bus, MapRuns.Request("it.noop", 2_500, "it.map.final"));
        var payload = await services.Services.GetRequiredService<FinalSignals>().For(cid).Task.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Empty(payload.GetProperty("data").EnumerateObject());
        Assert.Equal(2_501, payload.GetProperty("data_ref").GetProperty("target_count").GetInt32());
        var all = await MapRuns.ReadAll(bus, cid);
        Assert.Equal(["it.noop", .. Enumerable.Range(0, 2_500).Select(i => $"it.noop#{i}")], all.Select(t => t.Key));
        Assert.All(all, t => Assert.Equal((TargetStates.Completed, "it.noop", 1), (t.Target.Status, t.Target.Service, t.Target.Attempts)));
    }

    [Fact]
    public async Task Two_hosts_of_one_service_share_a_maps_calls_and_none_runs_twice()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var first = await StartServices();
        await using var second = await StartServices();
        var bus = first.Services.GetRequiredService<IBus>();
        var request = MapRuns.Request("t.ok", 2_000, "it.map.final");

        var cid = await MapRuns.Start(bus, request);
        var finals = new[] { first, second }.Select(h => h.Services.GetRequiredService<FinalSignals>().For(cid).Task);
        await Task.WhenAny(finals).Unwrap().WaitAsync(TimeSpan.FromMinutes(1));
        // The final callback follows every result, which follows its call; idle hosts have recorded everything they ran.
        await BusActivity.WaitForIdle([first.Activity, second.Activity, orchestrator.Activity]);

        var handled = new[] { first, second }.Select(h => h.Recorder.Of("t.ok", cid).Select(i => i.Request.GetProperty("i").GetInt32()).ToList()).ToList();
        output.WriteLine($"calls handled per host: {handled[0].Count} and {handled[1].Count}");
        Assert.All(handled, calls => Assert.NotEmpty(calls));
        var all = handled.SelectMany(c => c).ToList();
        Assert.Equal(2_001, all.Count);
        Assert.Equal(2_001, all.Distinct().Count());
    }

    [Fact]
    public async Task Sample_flaky_succeeds_after_its_retries_and_the_status_shows_the_attempts()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices();
        using var samples = ServiceProcess.Start("Fanout.Samples", new Dictionary<string, string> { ["FANOUT_RABBITMQ"] = Url }, "services");
        await samples.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
        var bus = services.Services.GetRequiredService<IBus>();
        var request = MapRuns.Request("sample.flaky", 20, "it.map.final", i => new { fail_times = 2, i }) with
        {
            Retry = new RetryPolicy { Attempts = 3, DelayMs = 10 },
        };

        var cid = await MapRuns.Start(bus, request);
        var payload = await services.Services.GetRequiredService<FinalSignals>().For(cid).Task.WaitAsync(TimeSpan.FromMinutes(1));

        var data = payload.GetProperty("data");
        Assert.Equal(21, data.EnumerateObject().Count());
        Assert.All(data.EnumerateObject(), p => Assert.True(p.Value.GetProperty("ok").GetBoolean(), p.Value.ToString()));
        var all = await MapRuns.ReadAll(bus, cid);
        Assert.All(all, t => Assert.Equal(3, t.Target.Attempts));
    }
}
