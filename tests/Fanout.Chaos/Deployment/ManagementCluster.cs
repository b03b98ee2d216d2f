using System.Net.Http.Json;
using System.Text.Json;

namespace Fanout.Chaos.Deployment;

/// <summary>What the management API says about a cluster: where the clients are connected, which nodes run, queue types.</summary>
public sealed partial class Management
{
    /// <summary>Client connections per node name (<c>chaos-cluster5711-1@localhost</c> …).</summary>
    public async Task<IReadOnlyDictionary<string, int>> ConnectionsPerNodeAsync(CancellationToken cancellationToken)
    {
        var connections = await _http.GetFromJsonAsync<JsonElement>("api/connections?columns=node", cancellationToken);
        return connections.EnumerateArray().GroupBy(c => c.GetProperty("node").GetString()!).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>The cluster's nodes that run right now; empty while the API does not answer.</summary>
    public async Task<IReadOnlyList<string>> RunningNodesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var nodes = await _http.GetFromJsonAsync<JsonElement>("api/nodes?columns=name,running", cancellationToken);
            return nodes.EnumerateArray().Where(n => n.GetProperty("running").GetBoolean()).Select(n => n.GetProperty("name").GetString()!).ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    /// <summary>The type (<c>classic</c>, <c>quorum</c>) of every durable queue, by name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DurableQueueTypesAsync(CancellationToken cancellationToken)
    {
        var queues = await _http.GetFromJsonAsync<JsonElement>("api/queues/%2F?columns=name,type,durable", cancellationToken);
        return queues.EnumerateArray().Where(q => q.GetProperty("durable").GetBoolean())
            .ToDictionary(q => q.GetProperty("name").GetString()!, q => q.GetProperty("type").GetString()!);
    }
}
