using System.Diagnostics;
using Fanout.IntegrationTests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// Times map runs end to end (submit → final callback) with the orchestrator as its own process, as deployed, and
/// reads its peak RSS (VmHWM). Prints, never asserts, timings. Sizes come from <c>FANOUT_MAP_SIZES</c>
/// (e.g. <c>1000,10000,100000</c>); the suite runs 1,000 only.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class MapMeasurementTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    [Fact]
    public async Task Map_runs_are_timed_end_to_end_with_the_orchestrator_as_a_process()
    {
        var sizes = (Environment.GetEnvironmentVariable("FANOUT_MAP_SIZES") ?? "1000").Split(',').Select(int.Parse).ToList();
        using var orchestrator = ServiceProcess.Start("Fanout.Orchestrator", new Dictionary<string, string>
        {
            ["FANOUT_RABBITMQ"] = Url,
            ["FANOUT_DATABASE"] = Directory.File("fanout.db"),
        });
        await orchestrator.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
        await using var services = await BusHost.StartAsync(Url, null, (bus, _) =>
        {
            bus.Services.AddSingleton<FinalSignals>();
            bus.AddService<NoopTarget>().AddService<SignallingFinalCallback>("it.map.final");
        });
        var bus = services.Services.GetRequiredService<IBus>();
        var signals = services.Services.GetRequiredService<FinalSignals>();

        // A small run first, so the timings below do not include the first run's JIT and connection set-up.
        await signals.For(await MapRuns.Start(bus, MapRuns.Request("it.noop", 10, "it.map.final"))).Task.WaitAsync(TimeSpan.FromMinutes(1));
        foreach (var size in sizes)
        {
            var request = MapRuns.Request("it.noop", size - 1, "it.map.final");
            var clock = Stopwatch.StartNew();
            var cid = await MapRuns.Start(bus, request);
            var accepted = clock.Elapsed;
            var payload = await signals.For(cid).Task.WaitAsync(TimeSpan.FromMinutes(10));
            var done = clock.Elapsed;
            var count = payload.TryGetProperty("data_ref", out var reference)
                ? reference.GetProperty("target_count").GetInt32()
                : payload.GetProperty("data").EnumerateObject().Count();
            Assert.Equal(size, count);
            output.WriteLine($"map_{size}: accepted {accepted.TotalSeconds:0.000} s, final callback {done.TotalSeconds:0.000} s " +
                $"({size / done.TotalSeconds:0} calls/s); orchestrator VmHWM {PeakRssMb(orchestrator.Id)} MB");
        }

        // Lets a profiler attached to the orchestrator (dotnet-trace) finish its trace while the process still runs.
        if (int.TryParse(Environment.GetEnvironmentVariable("FANOUT_MEASURE_HOLD_MS"), out var hold))
            await Task.Delay(hold);
    }

    static string PeakRssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
        return line is null ? "?" : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).ToString();
    }
}
