using Fanout.Chaos.Deployment;

namespace Fanout.Chaos.Scenarios;

/// <summary>
/// "Every endpoint consuming": each queue that had consumers before the faults has at least as many again, and the
/// gateway's <c>GET /health</c> (which asks the orchestrator over the bus) answers 200. Consumers are read from the
/// broker's consumer list, which changes as they come and go (the per-queue counts lag by seconds), with the process
/// that owns each. MassTransit's per-process temporary queues (<c>…_bus_…</c>) are left out: a restarted process
/// makes a new one under a new name.
/// </summary>
public sealed class Recovery(Management management, HttpClient gateway, SystemProcesses system)
{
    IReadOnlyDictionary<string, int> _baseline = new Dictionary<string, int>();
    IReadOnlyDictionary<string, IReadOnlyList<string>> _owners = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyCollection<string> Endpoints => _baseline.Keys.ToList();

    public async Task TakeBaselineAsync(CancellationToken cancellationToken)
    {
        var consumers = await management.ConsumersAsync(cancellationToken)
                        ?? throw new InvalidOperationException("management API did not answer");
        var watched = consumers.Where(c => !c.Queue.Contains("_bus_", StringComparison.Ordinal))
            .GroupBy(c => c.Queue).ToList();
        _baseline = watched.ToDictionary(g => g.Key, g => g.Count());
        _owners = watched.ToDictionary(g => g.Key, g => Owners(g));
    }

    /// <summary>The endpoints not (fully) consuming right now, plus "gateway /health" while it is not 200; empty when recovered.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(CancellationToken cancellationToken) =>
        (await ShortfallsAsync(cancellationToken)).Select(s => s.ToString()).ToList();

    /// <summary>
    /// As <see cref="MissingAsync"/>, with the processes that consumed from each short queue before the faults and do
    /// not now (a process restarted by a fault counts by its part's name).
    /// </summary>
    public async Task<IReadOnlyList<Shortfall>> ShortfallsAsync(CancellationToken cancellationToken)
    {
        var shortfalls = new List<Shortfall>();
        if (await management.ConsumersAsync(cancellationToken) is not { } consumers)
            return [new Shortfall("broker management API", 0, 0, [])];
        var now = consumers.GroupBy(c => c.Queue).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (queue, expected) in _baseline)
        {
            var present = now.GetValueOrDefault(queue) ?? [];
            if (present.Count < expected)
                shortfalls.Add(new Shortfall(queue, present.Count, expected,
                    _owners[queue].Except(Owners(present)).ToList()));
        }

        if (!await GatewayHealthyAsync(cancellationToken))
            shortfalls.Add(new Shortfall("gateway /health", 0, 0, [SystemProcesses.Gateway]));
        return shortfalls;
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

    /// <summary>The parts owning some of <paramref name="consumers"/>; the run's own client is not a part.</summary>
    IReadOnlyList<string> Owners(IEnumerable<Management.Consumer> consumers) =>
        consumers.Select(c => c.ProcessId is { } pid ? system.NameOf(pid) : null).OfType<string>()
            .Distinct().Order().ToList();

    async Task<bool> GatewayHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await gateway.GetAsync("health", timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException
                                   && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>A queue with fewer consumers than before the faults, and the parts that no longer consume it.</summary>
public sealed record Shortfall(string Queue, int Consumers, int Expected, IReadOnlyList<string> SilentOwners)
{
    public override string ToString() => Expected == 0
        ? Queue
        : $"{Queue} ({Consumers}/{Expected} consumers" +
          (SilentOwners.Count > 0 ? $"; none from {string.Join(", ", SilentOwners)})" : ")");
}
