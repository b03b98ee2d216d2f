using Fanout.Testing.Databases;
using Fanout.Testing.Processes;

namespace Fanout.Benchmarks.Processes;

/// <summary>
/// The deployed parts, each a separate process as <c>make up</c> starts them: the orchestrator, the gateway and a FIFO
/// worker with a no-op handler, on the benchmark's own virtual host and fresh SQLite files in <c>.run/bench/</c> (or
/// fresh PostgreSQL databases, with as many orchestrators as the <see cref="Deployment"/> asks for).
/// </summary>
public sealed class SystemUnderTest : IDisposable
{
    /// <summary>The FIFO the worker serves; orders on any other FIFO are stored and queued but never processed.</summary>
    public const string WorkedFifo = "orders";

    readonly List<ChildProcess> _children = [];

    SystemUnderTest(string gatewayUrl) => GatewayUrl = gatewayUrl;

    public string GatewayUrl { get; }
    /// <summary>The first orchestrator (the only one unless the deployment asks for more).</summary>
    public ChildProcess Orchestrator => Orchestrators.First();

    public IEnumerable<ChildProcess> Orchestrators => _children.Where(c => c.Name == "orchestrator");

    public static async Task<SystemUnderTest> StartAsync(BenchPaths paths, string rabbitMq, Deployment deployment,
        CancellationToken cancellationToken)
    {
        var system = new SystemUnderTest(FreePort.LoopbackUrl());
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["FANOUT_RABBITMQ"] = rabbitMq,
                ["FANOUT_DATABASE"] = deployment.Postgres is { } server
                    ? await TestPostgres.CreateDatabaseAsync(server, "bench_runs")
                    : Path.Combine(paths.RunDirectory, "fanout.db"),
                ["FANOUT_ORDERS_DATABASE"] = deployment.Postgres is { } ordersServer
                    ? await TestPostgres.CreateDatabaseAsync(ordersServer, "bench_orders")
                    : Path.Combine(paths.RunDirectory, "orders.db"),
                ["Fanout__Gateway__Url"] = system.GatewayUrl,
                ["Fanout__Orchestrator__GatewayUrl"] = system.GatewayUrl,
                ["Fanout__Fifo__SampleWorkMs"] = "0",
                ["Fanout__Fifo__Queues__0"] = WorkedFifo,
            };
            // Ready lines as in compose/processes.sh: web hosts listen only after their bus started.
            (string Name, string Project, string[] Args, string Ready)[] parts =
            [
                .. Enumerable.Repeat(("orchestrator", "Fanout.Orchestrator", Array.Empty<string>(), "Bus started"), deployment.Orchestrators),
                ("gateway", "Fanout.Gateway", [], "Now listening on"),
                ("fifo", "Fanout.Samples", ["fifo"], "Bus started"),
            ];
            foreach (var (i, (name, project, args, _)) in parts.Index())
                system._children.Add(ChildProcess.Start(name, paths.Dll(project), args, environment, paths.RunDirectory,
                    Path.Combine(paths.LogDirectory, (parts.Take(i).Any(p => p.Name == name) ? $"{name}-{i + 1}" : name) + ".log")));
            await Task.WhenAll(parts.Select((p, i) => system._children[i].WaitForLogAsync(p.Ready, TimeSpan.FromSeconds(90), cancellationToken)));
            return system;
        }
        catch
        {
            system.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var child in _children)
            child.Dispose();
    }
}
