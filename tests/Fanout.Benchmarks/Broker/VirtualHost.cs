using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;

namespace Fanout.Benchmarks.Broker;

/// <summary>
/// A virtual host of the benchmark's own, made through the management API (as the integration tests do), so no queue,
/// message or binding of another run or of <c>make up</c> is shared; deleted, with everything in it, at the end.
/// </summary>
public sealed class VirtualHost : IAsyncDisposable
{
    readonly HttpClient _management;

    VirtualHost(HttpClient management, string name, string url)
    {
        _management = management;
        Name = name;
        Url = url;
    }

    public string Name { get; }

    /// <summary>amqp URL of this virtual host.</summary>
    public string Url { get; }

    /// <param name="brokerUrl">amqp://user:password@host:port/ (its virtual host is ignored).</param>
    public static async Task<VirtualHost> CreateAsync(string brokerUrl, CancellationToken cancellationToken)
    {
        var amqp = new Uri(brokerUrl);
        var parts = Uri.UnescapeDataString(amqp.UserInfo).Split(':', 2);
        var (user, password) = parts.Length == 2 && parts[0].Length > 0 ? (parts[0], parts[1]) : ("guest", "guest");
        var api = new Uri(Environment.GetEnvironmentVariable("FANOUT_RABBITMQ_MANAGEMENT") ?? $"http://{amqp.Host}:15672/");
        var management = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        management.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        var name = "bench-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            (await management.PutAsJsonAsync($"api/vhosts/{name}", new { }, cancellationToken)).EnsureSuccessStatusCode();
            (await management.PutAsJsonAsync($"api/permissions/{name}/{user}", new { configure = ".*", write = ".*", read = ".*" },
                cancellationToken)).EnsureSuccessStatusCode();
        }
        catch (HttpRequestException ex)
        {
            management.Dispose();
            throw new InvalidOperationException(
                $"Could not create a virtual host through the management API at {api} ({ex.Message}); " +
                "enable rabbitmq_management or set FANOUT_RABBITMQ_MANAGEMENT.", ex);
        }

        return new VirtualHost(management, name, new UriBuilder(amqp) { Path = "/" + name }.Uri.ToString());
    }

    /// <summary>
    /// The publish counters as the management API shows them now. The broker updates them every
    /// <c>collect_statistics_interval</c> (5 s by default), so they lag the wire by up to that much.
    /// </summary>
    public async Task<PublishCounts> ReadPublishesAsync(CancellationToken cancellationToken)
    {
        using var vhost = JsonDocument.Parse(await _management.GetStringAsync($"api/vhosts/{Name}", cancellationToken));
        var total = Publishes(vhost.RootElement, "publish");
        using var exchanges =
            JsonDocument.Parse(await _management.GetStringAsync($"api/exchanges/{Name}", cancellationToken));
        var byExchange = exchanges.RootElement.EnumerateArray()
            .Select(e => (Name: e.GetProperty("name").GetString() ?? "", Count: Publishes(e, "publish_in")))
            .Where(e => e.Count > 0)
            .ToDictionary(e => e.Name.Length == 0 ? "(default exchange)" : e.Name, e => e.Count);
        return new PublishCounts(total, byExchange);

        static long Publishes(JsonElement item, string counter) =>
            item.TryGetProperty("message_stats", out var stats) && stats.ValueKind == JsonValueKind.Object
                && stats.TryGetProperty(counter, out var count) ? count.GetInt64() : 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _management.DeleteAsync($"api/vhosts/{Name}");
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"bench: could not delete virtual host {Name}: {ex.Message}");
        }

        _management.Dispose();
    }
}
