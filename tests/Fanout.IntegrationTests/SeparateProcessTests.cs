using System.Text.Json;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;

namespace Fanout.IntegrationTests;

/// <summary>The reference samples as a deployment runs them: orchestrator, services and caller as three processes.</summary>
[Collection(BrokerCollection.Name)]
public sealed class SeparateProcessTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    [Fact]
    public async Task The_sample_fanouts_run_as_separate_processes_on_rabbitmq()
    {
        var environment = new Dictionary<string, string>
        {
            ["FANOUT_RABBITMQ"] = Url,
            ["FANOUT_DATABASE"] = Directory.File("fanout.db"),
        };
        using var orchestrator = ServiceProcess.Start("Fanout.Orchestrator", environment);
        using var services = ServiceProcess.Start("Fanout.Samples", environment, "services");
        await orchestrator.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
        await services.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));

        using var caller = ServiceProcess.Start("Fanout.Samples", environment, "caller");
        var exitCode = await caller.WaitForExit(TimeSpan.FromSeconds(120));
        Assert.True(exitCode == 0, $"caller exited {exitCode}: {caller.Stderr}");

        // The caller waits for all five fan-outs; the callbacks print in the services process.
        var lines = await Eventually.Until(
            () => services.Stdout.Split('\n').Where(l => l.StartsWith("{\"callback\"")).Select(l => JsonDocument.Parse(l).RootElement).ToList(),
            found => found.Count >= 16, "16 callback lines from the services process", TimeSpan.FromSeconds(10), found => $"{found.Count} lines");

        var byChannel = lines.GroupBy(l => l.GetProperty("channel").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(16, lines.Count);
        Assert.Equal(6, byChannel[Channels.ParallelExecOnTarget]);
        Assert.Equal(6, byChannel[Channels.FanoutOnTarget]);
        Assert.Equal(4, byChannel[Channels.FanoutOnFinal]);
        var failing = lines.Single(l => l.GetProperty("channel").GetString() == Channels.FanoutOnTarget
            && l.GetProperty("callback").GetString() == "my.target.callback1"
            && l.GetProperty("payload").GetProperty("target").GetString() == "sample.failing");
        Assert.False(failing.GetProperty("payload").GetProperty("ok").GetBoolean());
        Assert.Contains("InvalidOperationException", failing.GetProperty("payload").GetProperty("exception").GetString());

        // Logs: one JSON object per line; a line about a run carries its cid in a scope, a target's line its target too.
        var logs = orchestrator.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var started = logs.Where(l => l.GetProperty("Message").GetString()!.Contains(") started by")).ToList();
        Assert.NotEmpty(started);
        Assert.All(started, l => Assert.Contains(l.GetProperty("Scopes").EnumerateArray(),
            s => s.TryGetProperty("cid", out var cid) && cid.GetString() == l.GetProperty("State").GetProperty("Cid").GetString()));
        var raised = services.Stderr.Split('\n').Where(l => l.Contains("raised InvalidOperationException")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEmpty(raised);
        // Targets now run as calls: the call's scope (target) sits inside its chunk's scope (cid).
        Assert.All(raised, l =>
        {
            var scopes = l.GetProperty("Scopes").EnumerateArray().ToList();
            Assert.Contains(scopes, s => s.TryGetProperty("target", out var target) && target.GetString() == "sample.failing");
            Assert.Contains(scopes, s => s.TryGetProperty("cid", out _));
        });
    }
}
