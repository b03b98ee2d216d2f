using System.Text.Json;
using Fanout.Cli;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>The <c>fanout</c> commands against a real broker and orchestrator (SQLite file), with only the broker URL.</summary>
[Collection(BrokerCollection.Name)]
public sealed class CliTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    async Task<(BusHost Orchestrator, BusHost Services)> StartRuns()
    {
        var orchestrator = await BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, configuration) => bus.AddOrchestrator(configuration));
        var services = await BusHost.StartAsync(Url, null, (bus, _) => bus
            .AddService<OkTarget>().AddService<ThrowingTarget>().AddService<RecordingCallback>("cli.final"));
        return (orchestrator, services);
    }

    [Fact]
    public async Task Invoke_wait_prints_the_final_payload_and_status_json_shows_every_target()
    {
        var (orchestrator, services) = await StartRuns();
        await using var _ = orchestrator;
        await using var __ = services;

        var invoke = await CliRun.Of("invoke", "--rabbitmq", Url, "--json", "--wait", "--cid", "cli-run-1",
            "--target", "t.ok={\"hello\":\"cli\"}", "--target", "t.boom={\"hello\":\"x\"}", "--on-final", "cli.final");
        output.WriteLine(invoke.Err);

        Assert.Equal(ExitCodes.Ok, invoke.ExitCode);
        var waited = JsonDocument.Parse(invoke.Out).RootElement;
        Assert.Equal(("cli-run-1", "completed"), (waited.GetProperty("cid").GetString(), waited.GetProperty("state").GetString()));
        var data = waited.GetProperty("final").GetProperty("data");
        Assert.True(data.GetProperty("t.ok").GetProperty("ok").GetBoolean());
        Assert.Equal("cli", data.GetProperty("t.ok").GetProperty("response").GetProperty("echo").GetProperty("hello").GetString());
        Assert.False(data.GetProperty("t.boom").GetProperty("ok").GetBoolean());
        Assert.Contains("2/2 finished, 1 failed", invoke.Err);
        // The final callback itself ran once, with the same results.
        await services.Recorder.WaitFor(all => all.Any(i => i.Service == "cli.final" && i.Cid == "cli-run-1"));

        var status = await CliRun.Of("status", "cli-run-1", "--rabbitmq", Url, "--json");
        Assert.Equal(ExitCodes.Ok, status.ExitCode);
        var run = JsonDocument.Parse(status.Out).RootElement;
        Assert.Equal(("completed", 2, 2, 1, "requested"), (run.GetProperty("state").GetString(), run.GetProperty("target_count").GetInt32(),
            run.GetProperty("finished_count").GetInt32(), run.GetProperty("failed_count").GetInt32(), run.GetProperty("final_callbacks").GetString()));
        Assert.Equal(["t.boom", "t.ok"], run.GetProperty("targets").EnumerateObject().Select(t => t.Name).Order());
        Assert.All(run.GetProperty("targets").EnumerateObject(), t => Assert.Equal("completed", t.Value.GetProperty("status").GetString()));
        Assert.Contains("boom from t.boom", run.GetProperty("targets").GetProperty("t.boom").GetProperty("result").GetProperty("exception").GetString());

        var human = await CliRun.Of("status", "cli-run-1", "--rabbitmq", Url);
        Assert.Contains("2 targets: 1 ok, 1 failed, 0 unfinished", human.Out);
        Assert.Contains("System.InvalidOperationException: boom from t.boom", human.Out);

        var unknown = await CliRun.Of("status", "no-such-run", "--rabbitmq", Url, "--json");
        Assert.Equal((ExitCodes.Failed, "", "fanout: no run with CID 'no-such-run'"), (unknown.ExitCode, unknown.Out, unknown.Err.Trim()));
        var duplicate = await CliRun.Of("invoke", "--rabbitmq", Url, "--cid", "cli-run-1", "--target", "t.ok", "--on-final", "cli.final");
        Assert.Equal(ExitCodes.Failed, duplicate.ExitCode);
        Assert.Contains("already in use", duplicate.Err);
    }

    [Fact]
    public async Task Invoke_map_with_a_requests_file_waits_and_prints_every_key_of_the_final_state()
    {
        var (orchestrator, services) = await StartRuns();
        await using var _ = orchestrator;
        await using var __ = services;
        var items = Directory.File("items.jsonl");
        await File.WriteAllLinesAsync(items, Enumerable.Range(0, 25).Select(i => $"{{\"item\":{i}}}"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var invoke = await CliRun.Of("invoke", "--rabbitmq", Url, "--map", "t.ok", "--requests", items, "--on-final", "cli.final",
            "--cid", "cli-map-1", "--wait", "--json");
        output.WriteLine($"fanout invoke --map of 25 requests --wait: {clock.ElapsedMilliseconds} ms\n{invoke.Err}");

        Assert.Equal(ExitCodes.Ok, invoke.ExitCode);
        var waited = JsonDocument.Parse(invoke.Out).RootElement;
        Assert.Equal(("cli-map-1", "completed"), (waited.GetProperty("cid").GetString(), waited.GetProperty("state").GetString()));
        var data = waited.GetProperty("final").GetProperty("data");
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"t.ok#{i}"), data.EnumerateObject().Select(p => p.Name));
        Assert.All(Enumerable.Range(0, 25), i =>
        {
            var call = data.GetProperty($"t.ok#{i}");
            Assert.Equal((true, "t.ok", $"t.ok#{i}"), (call.GetProperty("ok").GetBoolean(), call.GetProperty("service").GetString(), call.GetProperty("target").GetString()));
            Assert.Equal(i, call.GetProperty("response").GetProperty("echo").GetProperty("item").GetInt32());
        });
        Assert.Contains("cli-map-1: 25/25 finished, 0 failed", invoke.Err);
        Assert.Equal(25, services.Recorder.Of("t.ok", "cli-map-1").Count);
    }

    [Fact]
    public async Task Tail_json_prints_each_start_and_completion_of_three_runs_exactly_once_and_in_order()
    {
        var (orchestrator, services) = await StartRuns();
        await using var _ = orchestrator;
        await using var __ = services;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = new SynchronizedWriter();
        var error = new SynchronizedWriter();
        var tail = Task.Run(() => CliApp.RunAsync(["tail", "--rabbitmq", Url, "--json"], new CliConsole(TextWriter.Synchronized(output), error, interactive: false), stop.Token));
        await Eventually.Until(() => error.ToString(), text => text.Contains("following run state changes") || tail.IsCompleted,
            "fanout tail to start following");
        Assert.False(tail.IsCompleted, error.ToString());

        string[] cids = ["tail-1", "tail-2", "tail-3"];
        await Task.WhenAll(cids.Select(cid => CliRun.Of("invoke", "--rabbitmq", Url, "--cid", cid,
            "--target", "t.ok={\"hello\":1}", "--target", "t.boom={\"hello\":2}", "--on-final", "cli.final")));
        await services.Recorder.WaitFor(all => cids.All(cid => all.Any(i => i.Service == "cli.final" && i.Cid == cid)), TimeSpan.FromSeconds(30));
        // Whatever the saga announced for these runs is at the broker once it answered a message for each of them; a
        // run started after that announces its start behind all of it in tail's queue, which tail reads in order.
        foreach (var cid in cids)
            Assert.Equal(CancelOutcome.AlreadyFinished, (await services.SagaSentinel(cid)).Outcome);
        var sentinel = await CliRun.Of("invoke", "--rabbitmq", Url, "--cid", "tail-sentinel", "--target", "t.ok", "--on-final", "cli.final");
        Assert.Equal(ExitCodes.Ok, sentinel.ExitCode);
        await Eventually.Until(() => output.ToString(), text => text.Contains("\"tail-sentinel\""), "tail to print the sentinel run",
            TimeSpan.FromSeconds(30));
        stop.Cancel();
        Assert.Equal(ExitCodes.Ok, await tail);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var cid in cids)
        {
            var changes = lines.Where(l => l.GetProperty("run").GetProperty("cid").GetString() == cid)
                .Select(l => l.GetProperty("change").GetString()).ToList();
            Assert.Equal(1, changes.Count(c => c == "started"));
            Assert.Equal(1, changes.Count(c => c == "completed"));
            // In order: the outbox publishes a run's changes before its commands, the CLI reads them one at a time.
            Assert.Equal(("started", "completed"), (changes[0], changes[^1]));
            var finishedCounts = lines.Where(l => l.GetProperty("run").GetProperty("cid").GetString() == cid)
                .Select(l => l.GetProperty("run").GetProperty("finished_count").GetInt32()).ToList();
            Assert.Equal(finishedCounts.Order(), finishedCounts);
            var failed = lines.Where(l => l.GetProperty("run").GetProperty("cid").GetString() == cid)
                .SelectMany(l => l.GetProperty("finished").EnumerateArray()).Where(t => !t.GetProperty("ok").GetBoolean())
                .Select(t => t.GetProperty("target").GetString());
            Assert.Equal(["t.boom"], failed);
        }
    }

    /// <summary>A StringWriter safe to read while another thread writes.</summary>
    sealed class SynchronizedWriter : StringWriter
    {
        public override void Write(char value) { lock (this) base.Write(value); }
        public override void Write(string? value) { lock (this) base.Write(value); }
        public override void Write(char[] buffer, int index, int count) { lock (this) base.Write(buffer, index, count); }
        public override void Write(ReadOnlySpan<char> buffer) { lock (this) base.Write(buffer); }
        public override void WriteLine(string? value) { lock (this) base.WriteLine(value); }
        public override string ToString() { lock (this) return base.ToString(); }
    }
}
