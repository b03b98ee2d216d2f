using Fanout.Chaos.Parts;
using Fanout.Testing.Processes;

namespace Fanout.Chaos.Deployment;

/// <summary>
/// Every part of the system as its own OS process, as <c>make up</c> runs them: orchestrator, gateway, two FIFO workers
/// (active and standby: RabbitMQ's single active consumer), the target-service process and the callback-service
/// process. A part killed by a fault is started again by <see cref="RestartAsync"/>, as a supervisor would; no other
/// part is ever restarted.
/// </summary>
public sealed class SystemProcesses : IDisposable
{
    public const string Orchestrator = "orchestrator";
    public const string SecondOrchestrator = "orchestrator-2";
    public const string Gateway = "gateway";
    public const string FifoA = "fifo-a";
    public const string FifoB = "fifo-b";
    public const string Targets = "targets";
    public const string Callbacks = "callbacks";

    static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(90);

    readonly ChaosPaths _paths;
    readonly Dictionary<string, string> _environment;
    readonly Dictionary<string, ChildProcess> _running = [];
    readonly Dictionary<string, int> _starts = [];

    readonly (string Name, string Project, string[] Args, string Ready)[] _parts;

    SystemProcesses(ChaosPaths paths, string rabbitMq, IReadOnlyDictionary<string, string> settings, string gatewayUrl, Stores stores)
    {
        _paths = paths;
        GatewayUrl = gatewayUrl;
        _parts = stores.Orchestrators > 1 ? [AllParts[0], (SecondOrchestrator, "Fanout.Orchestrator", [], "Bus started"), .. AllParts[1..]] : AllParts;
        _environment = new Dictionary<string, string>
        {
            ["FANOUT_RABBITMQ"] = rabbitMq,
            ["FANOUT_DATABASE"] = stores.Database,
            ["FANOUT_ORDERS_DATABASE"] = stores.OrdersDatabase,
            ["Fanout__Gateway__Url"] = gatewayUrl,
            ["Fanout__Orchestrator__GatewayUrl"] = gatewayUrl,
            ["Fanout__Fifo__Queues__0"] = ChaosNames.Fifo,
            [ChaosNames.LedgerVariable] = paths.Ledger,
            [Ledger.FifoRuns.Variable] = Ledger.FifoRuns.PathIn(paths),
        };
        // Configuration keys (Fanout:RabbitMq:QueueType) as environment variables (Fanout__RabbitMq__QueueType).
        foreach (var (key, value) in settings)
            _environment[key.Replace(":", "__")] = value;
    }

    public string GatewayUrl { get; }

    /// <summary>Name, project (empty: this program), arguments, the log line that says it is ready; in start order.</summary>
    static readonly (string Name, string Project, string[] Args, string Ready)[] AllParts =
    [
        (Orchestrator, "Fanout.Orchestrator", [], "Bus started"),
        (Gateway, "Fanout.Gateway", [], "Now listening on"),
        (FifoA, "Fanout.Samples", ["fifo"], "Bus started"),
        (FifoB, "Fanout.Samples", ["fifo"], "Bus started"),
        (Targets, "", ["targets"], "Bus started"),
        (Callbacks, "", ["callbacks"], "Bus started"),
    ];

    public int Pid(string name) => _running[name].Id;

    /// <summary>The parts of this deployment, in start order.</summary>
    public IReadOnlyList<string> Names => _parts.Select(p => p.Name).ToList();

    /// <summary>The part whose current process has this pid, or null.</summary>
    public string? NameOf(int pid) => _running.FirstOrDefault(r => r.Value.Id == pid).Key;

    /// <summary>Alive or exited (with its code), and the last lines of its log, for the report.</summary>
    public ProcessState State(string name, int logLines = 8)
    {
        var child = _running[name];
        return new ProcessState(name, child.Id, child.ExitCode, child.LogPath, child.LogTail(logLines));
    }

    /// <summary>Starts each part in order and waits until it is ready (the first FIFO worker so becomes the active one).</summary>
    public static async Task<SystemProcesses> StartAsync(ChaosPaths paths, string rabbitMq, IReadOnlyDictionary<string, string> settings,
        Stores stores, CancellationToken cancellationToken)
    {
        var system = new SystemProcesses(paths, rabbitMq, settings, FreePort.LoopbackUrl(), stores);
        try
        {
            foreach (var part in system._parts)
                await system.StartPartAsync(part.Name, cancellationToken);
            return system;
        }
        catch
        {
            system.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, unacknowledged deliveries go back to their queues.</summary>
    public void Kill(string name) => _running[name].Kill();

    public Task RestartAsync(string name, CancellationToken cancellationToken)
    {
        _running.Remove(name, out var old);
        old?.Dispose();
        return StartPartAsync(name, cancellationToken);
    }

    async Task StartPartAsync(string name, CancellationToken cancellationToken)
    {
        var part = _parts.Single(p => p.Name == name);
        var start = _starts[name] = _starts.GetValueOrDefault(name) + 1;
        var dll = part.Project == "" ? _paths.ChaosDll : _paths.Dll(part.Project);
        // A restarted part logs to a new file (name.2.log, …), so the log of the killed one stays readable.
        var log = Path.Combine(_paths.LogDirectory, start == 1 ? $"{name}.log" : $"{name}.{start}.log");
        var child = ChildProcess.Start(name, dll, part.Args, _environment, _paths.RunDirectory, log);
        _running[name] = child;
        await child.WaitForLogAsync(part.Ready, ReadyLimit, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var child in _running.Values)
            child.Dispose();
        _running.Clear();
    }
}

/// <summary>The databases the parts store in (SQLite files or PostgreSQL connection strings) and how many orchestrators share them.</summary>
public sealed record Stores(string Database, string OrdersDatabase, int Orchestrators);
