using Fanout.Testing.Processes;
using System.Diagnostics;
using Fanout.IntegrationTests.Support;

namespace Fanout.IntegrationTests;

/// <summary>
/// `make up` / `make down` (compose/up.sh, compose/down.sh) as a newcomer runs them, on this test's virtual host,
/// free ports and a run directory of its own.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class MakeUpTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    static readonly string[] Names = ["orchestrator", "gateway", "fifo", "samples", "batch"];

    [Fact]
    public async Task Up_starts_each_process_once_and_down_stops_exactly_those()
    {
        var gatewayUrl = GatewayHost.FreeUrl();
        var environment = new Dictionary<string, string>
        {
            ["RUN_DIR"] = Directory.Path,
            ["CONFIG"] = BuildOutput.Configuration,
            ["FANOUT_RABBITMQ"] = Url,
            ["Fanout__Gateway__Url"] = gatewayUrl,
            ["Samples__Batch__Url"] = GatewayHost.FreeUrl(),
        };
        using var decoy = Process.Start("sleep", "120");
        try
        {
            var up = await Script("up.sh", environment);
            Assert.True(up.ExitCode == 0, up.Output);
            var pids = Names.ToDictionary(n => n, n => int.Parse(File.ReadAllText(Directory.File($"pids/{n}.pid"))));
            Assert.All(pids, p => Assert.True(IsAlive(p.Value), $"{p.Key} (pid {p.Value}) is not running\n{up.Output}"));
            Assert.All(Names, n => Assert.True(File.Exists(Directory.File($"logs/{n}.log")), n));
            using (var http = new HttpClient())
                Assert.Equal("Healthy", await http.GetStringAsync(gatewayUrl + "/health"));

            var again = await Script("up.sh", environment);
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.All(Names, n => Assert.Contains($"up: {n} already running (pid {pids[n]})", again.Output));

            var down = await Script("down.sh", environment);
            Assert.True(down.ExitCode == 0, down.Output);
            Assert.All(pids, p => Assert.False(IsAlive(p.Value), $"{p.Key} (pid {p.Value}) still runs\n{down.Output}"));
            Assert.Equal(Names.Length, down.Output.Split('\n').Count(l => l.StartsWith("down: stopped ")));

            // A stale pid file naming someone else's process: down leaves that process alone.
            File.WriteAllText(Directory.File("pids/orchestrator.pid"), decoy.Id.ToString());
            var stale = await Script("down.sh", environment);
            Assert.Contains("down: nothing of ours is running", stale.Output);
            Assert.False(decoy.HasExited);
        }
        finally
        {
            decoy.Kill();
            var pidFiles = System.IO.Directory.Exists(Directory.File("pids")) ? System.IO.Directory.GetFiles(Directory.File("pids"), "*.pid") : [];
            foreach (var pidFile in pidFiles)
                if (int.TryParse(File.ReadAllText(pidFile), out var pid) && pid != decoy.Id && IsAlive(pid))
                    Process.GetProcessById(pid).Kill();
        }
    }

    static bool IsAlive(int pid) => System.IO.Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    static async Task<(int ExitCode, string Output)> Script(string name, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(BuildOutput.RepositoryRoot, "compose", name));
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
