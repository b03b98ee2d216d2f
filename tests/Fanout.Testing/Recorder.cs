using System.Collections.Concurrent;
using System.Text.Json;

namespace Fanout.Testing;

/// <summary>One invocation seen by a test service: which service, on which channel, with what.</summary>
public sealed record Invocation(string Service, string Channel, string Cid, string Source, JsonElement Request);

/// <summary>Collects invocations from the test services and lets a test wait for them.</summary>
public sealed class Recorder
{
    readonly ConcurrentQueue<Invocation> _invocations = new();

    public IReadOnlyList<Invocation> All => _invocations.ToList();

    public void Add(Invocation invocation) => _invocations.Enqueue(invocation);

    public IReadOnlyList<Invocation> Of(string service, string? cid = null) =>
        All.Where(i => i.Service == service && (cid is null || i.Cid == cid)).ToList();

    /// <summary>Waits until <paramref name="condition"/> holds for everything recorded so far; returns what was recorded.</summary>
    public Task<IReadOnlyList<Invocation>> WaitFor(Func<IReadOnlyList<Invocation>, bool> condition, TimeSpan? timeout = null) =>
        Eventually.Until(() => All, condition, "the expected invocations", timeout,
            seen => seen.Count == 0 ? "none" : string.Join(", ", seen.Select(i => $"{i.Service}/{i.Channel}/{i.Cid}")));
}
