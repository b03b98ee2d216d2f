using Fanout.Chaos.Deployment;
using Fanout.Chaos.Parts;

namespace Fanout.Chaos.Scenarios;

/// <summary>
/// "Every endpoint consuming again": each queue that had consumers before the faults has at least as many again, and
/// the gateway's <c>GET /health</c> (which asks the orchestrator over the bus) answers 200. MassTransit's per-process
/// temporary queues (<c>…_bus_…</c>) are left out: a restarted process makes a new one under a new name.
/// </summary>
public sealed class Recovery(Management management, HttpClient gateway)
{
    IReadOnlyDictionary<string, int> _baseline = new Dictionary<string, int>();

    public IReadOnlyCollection<string> Endpoints => _baseline.Keys.ToList();

    public async Task TakeBaselineAsync(CancellationToken cancellationToken)
    {
        var queues = await management.QueuesAsync(cancellationToken) ?? throw new InvalidOperationException("management API did not answer");
        _baseline = queues.Where(q => q.Consumers > 0 && !q.Name.Contains("_bus_", StringComparison.Ordinal))
            .ToDictionary(q => q.Name, q => q.Consumers);
    }

    /// <summary>The endpoints not (fully) consuming right now, plus "gateway /health" while it is not 200; empty when recovered.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        var queues = await management.QueuesAsync(cancellationToken);
        if (queues is null)
            return ["broker management API"];
        var consumers = queues.ToDictionary(q => q.Name, q => q.Consumers);
        missing.AddRange(_baseline.Where(b => consumers.GetValueOrDefault(b.Key) < b.Value)
            .Select(b => $"{b.Key} ({consumers.GetValueOrDefault(b.Key)}/{b.Value} consumers)"));
        if (!await GatewayHealthyAsync(cancellationToken))
            missing.Add("gateway /health");
        return missing;
    }

    /// <summary>
    /// Watched queues that still hold messages once a scenario's load has drained or timed out: a consumer that is
    /// registered but no longer takes deliveries (its prefetch held, nothing acknowledged) shows up only here.
    /// </summary>
    public async Task<IReadOnlyList<string>> BacklogAsync(CancellationToken cancellationToken)
    {
        var queues = await management.QueuesAsync(cancellationToken) ?? [];
        return queues.Where(q => _baseline.ContainsKey(q.Name) && q.Messages > 0)
            .Select(q => $"{q.Name} ({q.Messages} messages, {q.Unacknowledged} unacknowledged, {q.Consumers} consumers)").ToList();
    }

    /// <summary>
    /// The processes to restart so that the <paramref name="missing"/> endpoints consume again, as a supervisor acting on
    /// health checks would: each queue's owner (the gateway's health check needs the orchestrator's query endpoint).
    /// </summary>
    public static IReadOnlyList<string> Owners(IEnumerable<string> missing) => missing.SelectMany(m => m.Split(' ')[0] switch
    {
        var q when q.StartsWith("fanout.orders", StringComparison.Ordinal) || q.StartsWith("fanout.order-", StringComparison.Ordinal) ||
                   q.StartsWith("fifo.", StringComparison.Ordinal) => new[] { SystemProcesses.FifoA, SystemProcesses.FifoB },
        var q when q.StartsWith("fanout.", StringComparison.Ordinal) => new[] { SystemProcesses.Orchestrator },
        var q when q.StartsWith("chaos.t", StringComparison.Ordinal) => new[] { SystemProcesses.Targets },
        ChaosNames.FinalCallback or ChaosNames.TargetCallback => new[] { SystemProcesses.Callbacks },
        "gateway" => new[] { SystemProcesses.Gateway },
        _ => Array.Empty<string>(),
    }).Distinct().ToList();

    async Task<bool> GatewayHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await gateway.GetAsync("health", timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
