using System.Collections.Concurrent;
using System.Text.Json;

namespace Fanout.Tests.Support;

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

    public async Task<IReadOnlyList<Invocation>> WaitFor(Func<IReadOnlyList<Invocation>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var all = All;
            if (condition(all))
                return all;
            await Task.Delay(20);
        }

        throw new TimeoutException("Expected invocations did not arrive. Seen: " +
            string.Join(", ", All.Select(i => $"{i.Service}/{i.Channel}/{i.Cid}")));
    }
}
