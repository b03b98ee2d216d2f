using System.Runtime.InteropServices;
using Fanout.Benchmarks.Broker;
using Fanout.Benchmarks.Client;
using Fanout.Benchmarks.Measuring;
using Fanout.Benchmarks.Processes;
using Fanout.Benchmarks.Reporting;
using Fanout.Benchmarks.Scenarios;
using Fanout.Testing.Processes;

namespace Fanout.Benchmarks;

/// <summary>
/// One benchmark run: a fresh virtual host and fresh databases, the processes under test, this client on the bus,
/// every scenario, then the table (stdout) and results.json. Everything started is stopped on the way out,
/// on Ctrl-C and on failure too.
/// </summary>
public static class BenchRun
{
    public static async Task<int> RunAsync(BenchProfile profile, IReadOnlyCollection<string>? only,
        Deployment deployment, int eventStreams = 0, bool messageBreakdown = false)
    {
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.StopAll();

        var broker = Environment.GetEnvironmentVariable("FANOUT_RABBITMQ");
        if (string.IsNullOrWhiteSpace(broker))
        {
            await Console.Error.WriteLineAsync("bench: set FANOUT_RABBITMQ=amqp://user:password@host:5672/ (make bench does it)");
            return 2;
        }

        var all = ScenarioList.For(profile);
        if (only?.Except(all.Select(s => s.Name)).ToList() is [_, ..] unknown)
        {
            await Console.Error.WriteLineAsync($"bench: no scenario {string.Join(", ", unknown)} in this profile; there are {string.Join(", ", all.Select(s => s.Name))}");
            return 2;
        }

        var scenarios = all.Where(s => only is null || only.Contains(s.Name)).ToList();
        var paths = BenchPaths.Locate();
        paths.Prepare();
        var outcomes = new List<ScenarioOutcome>();
        try
        {
            await using var vhost = await VirtualHost.CreateAsync(broker, interrupt.Token);
            BenchContext.Progress($"virtual host {vhost.Name}; {deployment.Describe()}; starting orchestrator, gateway and FIFO worker (logs in {paths.LogDirectory})");
            using var system = await SystemUnderTest.StartAsync(paths, vhost.Url, deployment, interrupt.Token);
            await using var client = await BenchClient.StartAsync(vhost.Url, interrupt.Token);
            await using var streams = eventStreams > 0
                ? await EventStreams.OpenAsync(system.GatewayUrl, eventStreams, interrupt.Token)
                : null;
            var costs = new CostMeter(vhost, () => system.Orchestrators.Select(o => o.Id).ToList());
            var context = new BenchContext(profile, client, system, costs);
            foreach (var scenario in scenarios.TakeWhile(_ => !interrupt.IsCancellationRequested))
                outcomes.Add(await ScenarioRunner.RunAsync(scenario, context, interrupt.Token));
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"bench: {ex}");
            return 1;
        }

        DerivedMetrics.Add(outcomes);
        ResultsFile.Write(outcomes, paths.ResultsFile);
        ResultTable.Write(outcomes, profile, Console.Out);
        if (messageBreakdown)
            MessageBreakdown.Write(outcomes, Console.Out);
        BenchContext.Progress($"results in {paths.ResultsFile}; {outcomes.Count(o => o.Error is not null)} scenario(s) failed");
        return interrupt.IsCancellationRequested ? 130 : 0;

        void Interrupt(PosixSignalContext signal)
        {
            if (interrupt.IsCancellationRequested)
            {
                // Second signal: stop the children now and let the default handling end this process.
                ChildProcess.StopAll();
                return;
            }

            signal.Cancel = true;
            BenchContext.Progress($"{signal.Signal}: stopping (again to stop at once)");
            interrupt.Cancel();
        }
    }
}
