using Fanout.Testing.Processes;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Fanout.IntegrationTests.Support;

/// <summary>
/// A RabbitMQ node of this test's own (compose/rabbitmq-node.sh), for tests that kill the broker: the shared broker
/// everyone else uses is never touched. AMQP on <c>port</c>, management API on <c>port + 10000</c>.
/// </summary>
public sealed class PrivateBrokerNode(string name, int port) : IAsyncDisposable
{
    public string Url => $"amqp://guest:guest@localhost:{port}/";

    public Task StartAsync() => RunAsync("start", name, port.ToString());

    /// <summary>SIGKILL of the broker's VM: its connections drop as in a crash.</summary>
    public Task KillAsync() => RunAsync("kill", name);

    /// <summary>
    /// Queue name → consumer count, from the management API's consumer list (created and deleted as they happen;
    /// the per-queue counts of /api/queues lag by the statistics interval).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> ConsumersAsync()
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{port + 10000}/"), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("guest:guest")));
        var consumers = await client.GetFromJsonAsync<JsonElement>("api/consumers");
        return consumers.EnumerateArray().GroupBy(c => c.GetProperty("queue").GetProperty("name").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Ends the node and deletes its data, so the next run starts empty (killed first: a clean stop takes ~10 s).</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        await RunAsync("reset", name);
    }

    static Task RunAsync(params string[] args) =>
        ScriptRunner.RunAsync(Path.Combine(BuildOutput.RepositoryRoot, "compose", "rabbitmq-node.sh"), args, CancellationToken.None);
}
