using System.Runtime.InteropServices;
using Fanout.Chaos.Deployment;
using Fanout.Chaos.Faults;
using Fanout.Chaos.Load;
using Fanout.Chaos.Parts;
using Fanout.Chaos.Reporting;
using Fanout.Chaos.Scenarios;
using Fanout.Testing.Databases;
using Fanout.Testing.Processes;

namespace Fanout.Chaos;

/// <summary>
/// One chaos run: a fresh private broker node and fresh SQLite files, every part as its own process, this client on the
/// bus, each scenario in turn on the same deployment, then the table on stdout. Exit 1 when any scenario lost, duplicated
/// or did not recover. Nothing is restarted between scenarios: the run stops after a scenario that left a process dead
/// or without its consumers, and that scenario fails. Everything started — processes and the broker node — is removed
/// on the way out.
/// </summary>
public static class ChaosRun
{
    public static async Task<int> RunAsync(ChaosOptions options)
    {
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.StopAll();

        var all = ScenarioList.For(options);
        if (options.Only?.Except(all.Select(s => s.Name)).ToList() is [_, ..] unknown)
        {
            await Console.Error.WriteLineAsync($"chaos: no scenario {string.Join(", ", unknown)}; there are {string.Join(", ", all.Select(s => s.Name))} (broker-outage with --long)");
            return 2;
        }

        if (options.Orchestrators < 1 || (options.Orchestrators > 1 && options.Postgres is null))
        {
            await Console.Error.WriteLineAsync("chaos: --orchestrators N needs N >= 1, and more than one needs --postgres (one SQLite file has one writer)");
            return 2;
        }

        var faults = all.Where(f => options.Only is null || options.Only.Contains(f.Name)).ToList();
        var paths = ChaosPaths.Locate();
        paths.Prepare();
        var rows = new List<ScenarioRow>();
        var notRun = new List<string>();
        var token = interrupt.Token;
        try
        {
            await using IChaosBroker broker = options.ClusterPorts is { } ports
                ? new PrivateCluster(paths, ports)
                : new PrivateBroker(paths, options.BrokerPort);
            await broker.ResetAsync(token);
            await broker.StartAsync(token);
            var stores = options.Postgres is { } server
                ? new Stores(await TestPostgres.CreateDatabaseAsync(server, "chaos_runs"), await TestPostgres.CreateDatabaseAsync(server, "chaos_orders"),
                    options.Orchestrators)
                : new Stores(paths.Database, paths.OrdersDatabase, 1);
            ChaosContext.Progress($"broker {broker.Url}; {(options.Postgres is null ? "SQLite" : $"PostgreSQL, {stores.Orchestrators} orchestrator(s)")}; " +
                                  $"starting the processes (logs in {paths.LogDirectory})");
            using var system = await SystemProcesses.StartAsync(paths, broker.Url, broker.ClientSettings, stores, token);
            await using var client = await HarnessClient.StartAsync(broker.Url, broker.ClientSettings, token);
            using var gateway = new HttpClient { BaseAddress = new Uri(system.GatewayUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
            using var management = new Management(broker.ManagementUrl);
            var context = new ChaosContext(paths, options, system, broker, management, new Random(options.Seed));
            var recovery = new Recovery(management, gateway, system);
            await WaitForTopologyAsync(recovery, token);
            ChaosContext.Progress($"watching {recovery.Endpoints.Count} endpoints: {string.Join(", ", recovery.Endpoints.Order())}");
            var runner = new ScenarioRunner(context, client, gateway, recovery);
            var aftermath = new Aftermath(system, recovery, options.RecoveryLimit);
            foreach (var fault in faults.TakeWhile(_ => !token.IsCancellationRequested))
            {
                var row = await runner.RunAsync(fault, token);
                rows.Add(row = row with { After = await aftermath.CheckAsync(token) });
                Report(row.After, fault.Name);
                if (!row.After.Clean)
                {
                    notRun.AddRange(faults.SkipWhile(f => f != fault).Skip(1).Select(f => f.Name));
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"chaos: {ex}");
            if (rows.Count > 0)
                ChaosTable.Write(rows, notRun, options, Console.Out);
            return 1;
        }

        ChaosTable.Write(rows, notRun, options, Console.Out);
        if (token.IsCancellationRequested)
            return 130;
        return rows.All(r => r.Passed) ? 0 : 1;

        void Interrupt(PosixSignalContext signal)
        {
            if (interrupt.IsCancellationRequested)
            {
                ChildProcess.StopAll();
                return;
            }

            signal.Cancel = true;
            ChaosContext.Progress($"{signal.Signal}: stopping (again to stop at once)");
            interrupt.Cancel();
        }
    }

    static void Report(LeftBehind after, string scenario)
    {
        foreach (var note in after.Notes)
            ChaosContext.Progress($"{scenario}: {note}");
        foreach (var problem in after.Problems)
            ChaosContext.Progress($"{scenario}: LEFT BEHIND {problem}");
        foreach (var process in after.Processes)
            ChaosContext.Progress($"{scenario}: {process}; last log lines:\n  " +
                                  string.Join("\n  ", process.LastLines));
    }

    /// <summary>
    /// The processes declare their queues and consumers as they start: wait until every expected endpoint has its
    /// consumer.
    /// </summary>
    static async Task WaitForTopologyAsync(Recovery recovery, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 60; i++)
        {
            await recovery.TakeBaselineAsync(cancellationToken);
            if (recovery.Endpoints.Contains("fanout.invoke") && recovery.Endpoints.Contains("chaos.final") &&
                recovery.Endpoints.Contains("fifo.orders") && recovery.Endpoints.Contains(ChaosNames.OrderEvents) &&
                recovery.Endpoints.Count > 15 &&
                (await recovery.MissingAsync(cancellationToken)).Count == 0)
                return;
            await Task.Delay(500, cancellationToken);
        }

        throw new TimeoutException("the endpoints did not all show consumers within 30 s");
    }
}
