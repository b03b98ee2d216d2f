using System.Diagnostics;
using System.Text;
using Fanout.Bus.Patterns;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

[Collection(BrokerCollection.Name)]
public sealed class RabbitMqFanoutTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    Task<BusHost> StartOrchestrator() =>
        BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, configuration) => bus.AddOrchestrator(configuration));

    Task<BusHost> StartServices(params string[] callbackNames) => BusHost.StartAsync(Url, null, (bus, _) =>
    {
        bus.AddService<OkTarget>().AddService<ThrowingTarget>();
        foreach (var name in callbackNames)
            bus.AddService<RecordingCallback>(name);
    });

    [Fact]
    public async Task Fanout_and_parallel_complete_across_hosts_with_callbacks_on_their_own_queues()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices("it.final", "it.target");

        var cid = await services.Patterns.Fanout.InvokeAsync(
            new Dictionary<string, object?> { ["t.ok"] = new { hello = "from-fan-out1" }, ["t.boom"] = new { hello = "x" } },
            ["it.final"], ["it.target"], cid: "it-fanout-1");
        var parallel = await services.Patterns.Parallel.InvokeAsync(
            new Dictionary<string, object?> { ["t.ok"] = new { hello = "from-parallel" } }, ["it.target"]);

        var recorder = services.Recorder;
        await recorder.WaitFor(all => recorder.Of("it.final", cid).Count == 1 && recorder.Of("it.target").Count == 3, TimeSpan.FromSeconds(30));
        var final = recorder.Of("it.final", cid)[0];
        Assert.Equal(Channels.FanoutOnFinal, final.Channel);
        Assert.Equal(["t.boom", "t.ok"], final.Request.GetProperty("data").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(Channels.ParallelExecOnTarget, Assert.Single(recorder.Of("it.target", parallel)).Channel);
        Assert.All(recorder.Of("it.target", cid), i => Assert.Equal(Channels.FanoutOnTarget, i.Channel));

        var duplicate = await Assert.ThrowsAsync<FanoutRequestException>(() => services.Patterns.Fanout.InvokeAsync(
            new Dictionary<string, object?> { ["t.ok"] = 1 }, ["it.final"], cid: "it-fanout-1"));
        Assert.Contains("already in use", duplicate.Message);
    }

    [Fact]
    public async Task Callbacks_are_routed_by_name_and_an_unnamed_observer_sees_them_all()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices("it.cb.a", "it.cb.b");
        await using var observer = await BusHost.StartAsync(Url, null, (bus, _) => bus.AddCallbackObserver<CallbackObserver>("it.observer"));
        var factory = new ConnectionFactory { Uri = new Uri(Url) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        const string exchange = "Fanout.Contracts:FinalCallbackRequested";
        await channel.QueueDeclareAsync("probe.a", durable: false, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync("probe.all", durable: false, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync("probe.a", exchange, "it.cb.a");
        await channel.QueueBindAsync("probe.all", exchange, "#");

        var cid = await services.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.ok"] = 1 }, ["it.cb.a", "it.cb.b"]);

        await services.Recorder.WaitFor(all => all.Count(i => i.Cid == cid && i.Channel == Channels.FanoutOnFinal) == 2);
        // Everything the saga emitted for the run is at the broker (so in the probes); then every host has handled its share.
        Assert.Equal(CancelOutcome.AlreadyFinished, (await services.SagaSentinel(cid)).Outcome);
        await BusActivity.WaitForIdle([orchestrator.Activity, services.Activity, observer.Activity]);
        Assert.Equal(1u, await channel.MessageCountAsync("probe.a"));
        Assert.Equal(2u, await channel.MessageCountAsync("probe.all"));
        Assert.Single(services.Recorder.Of("it.cb.a", cid));
        Assert.Single(services.Recorder.Of("it.cb.b", cid));
        await observer.Recorder.WaitFor(all => all.Count(i => i.Cid == cid) == 2);
        Assert.Equal(["observer:it.cb.a", "observer:it.cb.b"], observer.Recorder.All.Select(i => i.Service).Order());
    }

    [Fact]
    public async Task An_invoke_published_as_plain_json_by_any_amqp_client_runs_a_fanout()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices("it.final");
        var factory = new ConnectionFactory { Uri = new Uri(Url) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var body = Encoding.UTF8.GetBytes("""
            {"cid": "plain-json-1", "source": "ops", "targets": {"t.ok": {"hello": "from-fan-out1"}}, "on_final": ["it.final"]}
            """);

        await channel.BasicPublishAsync("", OrchestratorQueues.Intake, mandatory: true,
            new BasicProperties { Persistent = true, ContentType = "application/json" }, body);

        var final = (await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final" && i.Cid == "plain-json-1")))
            .Single(i => i.Service == "it.final");
        Assert.Equal("ops", final.Request.GetProperty("source").GetString());
        Assert.Equal("from-fan-out1", final.Request.GetProperty("data").GetProperty("t.ok").GetProperty("response")
            .GetProperty("echo").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task A_plain_json_invoke_with_an_unknown_field_is_refused_and_starts_nothing()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices("it.final");
        var factory = new ConnectionFactory { Uri = new Uri(Url) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        async Task Publish(string json) => await channel.BasicPublishAsync("", OrchestratorQueues.Intake, mandatory: true,
            new BasicProperties { Persistent = true, ContentType = "application/json" }, Encoding.UTF8.GetBytes(json));

        // 'deadline' is misspelt: accepted, the run would take the CID and ignore the field.
        await Publish("""{"cid": "plain-json-2", "targets": {"t.ok": {"run": "misspelt"}}, "on_final": ["it.final"], "deadline": 5}""");
        await BusActivity.WaitForIdle([orchestrator.Activity, services.Activity]);
        await Publish("""{"cid": "plain-json-2", "targets": {"t.ok": {"run": "valid"}}, "on_final": ["it.final"]}""");

        var final = (await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final" && i.Cid == "plain-json-2")))
            .Single(i => i.Service == "it.final");
        Assert.Equal("valid", final.Request.GetProperty("data").GetProperty("t.ok").GetProperty("response")
            .GetProperty("echo").GetProperty("run").GetString());
    }

    [Fact]
    public async Task A_fanout_of_1000_targets_completes()
    {
        const int count = 1000;
        var names = Enumerable.Range(0, count).Select(i => $"load.t{i:0000}").ToList();
        await using var orchestrator = await StartOrchestrator();
        var started = Stopwatch.StartNew();
        await using var services = await BusHost.StartAsync(Url, null, (bus, _) =>
        {
            foreach (var name in names)
                bus.AddService<RecordingCallback>(name);
            bus.AddService<RecordingCallback>("load.final");
        });
        output.WriteLine($"{count} service endpoints started in {started.Elapsed.TotalSeconds:0.0} s");

        var timer = Stopwatch.StartNew();
        var cid = await services.Patterns.Fanout.InvokeAsync(names.ToDictionary(n => n, n => (object?)new { n }), ["load.final"]);
        var accepted = timer.Elapsed;
        var final = (await services.Recorder.WaitFor(all => all.Any(i => i.Service == "load.final"), TimeSpan.FromSeconds(120)))
            .Single(i => i.Service == "load.final");
        timer.Stop();

        output.WriteLine($"1,000-target fan-out: accepted after {accepted.TotalSeconds:0.00} s, final callback after {timer.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal(count, final.Request.GetProperty("data").EnumerateObject().Count());
        Assert.All(final.Request.GetProperty("data").EnumerateObject(), p => Assert.True(p.Value.GetProperty("ok").GetBoolean()));
        Assert.Equal(count, services.Recorder.All.Count(i => i.Cid == cid && i.Channel == Channels.FanoutCall));
    }
}
