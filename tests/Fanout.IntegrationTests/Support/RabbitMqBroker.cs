using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Testcontainers.RabbitMq;

namespace Fanout.IntegrationTests.Support;

/// <summary>
/// The broker under test: <c>FANOUT_RABBITMQ</c> when set (what <c>make test</c> does), else a Testcontainers
/// RabbitMQ when a Docker engine answers, else a failure that says how to provide one. Every test class gets a
/// virtual host of its own, so orchestrators of different tests never share a queue.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    RabbitMqContainer? _container;
    Uri _amqp = null!;
    Uri _management = null!;

    public async Task InitializeAsync()
    {
        var url = Environment.GetEnvironmentVariable("FANOUT_RABBITMQ");
        if (string.IsNullOrWhiteSpace(url))
        {
            try
            {
                _container = new RabbitMqBuilder("rabbitmq:3-management").Build();
                await _container.StartAsync();
                url = _container.GetConnectionString();
                _management = new Uri($"http://{_container.Hostname}:{_container.GetMappedPublicPort(15672)}/");
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    "Integration tests need RabbitMQ with the management plugin. Run `make test` (it starts one), or set " +
                    "FANOUT_RABBITMQ=amqp://user:password@host:5672/, or start a Docker engine for Testcontainers.", ex);
            }
        }

        _amqp = new Uri(url);
        _management ??= new Uri(Environment.GetEnvironmentVariable("FANOUT_RABBITMQ_MANAGEMENT") ?? $"http://{_amqp.Host}:15672/");
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
            await _container.DisposeAsync();
    }

    (string User, string Password) Credentials()
    {
        var parts = Uri.UnescapeDataString(_amqp.UserInfo).Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0 ? (parts[0], parts[1]) : ("guest", "guest");
    }

    HttpClient Management()
    {
        var (user, password) = Credentials();
        var client = new HttpClient { BaseAddress = _management, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary>Creates an empty virtual host and returns the amqp URL that uses it.</summary>
    public async Task<string> CreateVirtualHostAsync(string name)
    {
        using var client = Management();
        var (user, _) = Credentials();
        (await client.PutAsJsonAsync($"api/vhosts/{name}", new { })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"api/permissions/{name}/{user}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        return new UriBuilder(_amqp) { Path = "/" + name }.Uri.ToString();
    }

    /// <summary>The queues of a virtual host as the management API describes them (name, type, durable, auto_delete, ...).</summary>
    public async Task<List<JsonElement>> QueuesAsync(string vhost)
    {
        using var client = Management();
        return (await client.GetFromJsonAsync<List<JsonElement>>($"api/queues/{Uri.EscapeDataString(vhost)}"))!;
    }

    /// <summary>
    /// The broker closes the connection of the single active consumer of a queue (as <c>rabbitmqctl
    /// close_connection</c> does); the process behind it lives on. Returns the connection's name.
    /// </summary>
    public async Task<string?> CloseActiveConsumerConnectionAsync(string vhost, string queue)
    {
        using var client = Management();
        var details = await client.GetFromJsonAsync<JsonElement>(
            $"api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");
        // The statistics lag behind: no active consumer yet, or its channel not described yet ([]): null, ask again.
        var connection = details.GetProperty("consumer_details").EnumerateArray()
            .Where(c => c.TryGetProperty("activity_status", out var s) && s.GetString() == "single_active"
                && c.GetProperty("channel_details").ValueKind == JsonValueKind.Object)
            .Select(c => c.GetProperty("channel_details").GetProperty("connection_name").GetString())
            .FirstOrDefault();
        if (connection is null)
            return null;
        (await client.DeleteAsync($"api/connections/{Uri.EscapeDataString(connection)}")).EnsureSuccessStatusCode();
        return connection;
    }

    /// <summary>Queue name → consumers of a virtual host, from the live consumer list.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ConsumersAsync(string vhost)
    {
        using var client = Management();
        var consumers = await client.GetFromJsonAsync<List<JsonElement>>(
            $"api/consumers/{Uri.EscapeDataString(vhost)}");
        return consumers!.GroupBy(c => c.GetProperty("queue").GetProperty("name").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>The connection a queue's (first) consumer is on, or null while it has none.</summary>
    public async Task<string?> ConsumerConnectionAsync(string vhost, string queue)
    {
        using var client = Management();
        var consumers = await client.GetFromJsonAsync<List<JsonElement>>(
            $"api/consumers/{Uri.EscapeDataString(vhost)}");
        // A consumer whose channel is closing may come with empty channel details ([]).
        return consumers!.Where(c => c.GetProperty("queue").GetProperty("name").GetString() == queue)
            .Select(c => c.GetProperty("channel_details") is { ValueKind: JsonValueKind.Object } channel
                         && channel.TryGetProperty("connection_name", out var name) ? name.GetString() : null)
            .FirstOrDefault(name => name is not null);
    }

    /// <summary>Closes every client connection of a virtual host from the broker, as a network cut would.</summary>
    public async Task CloseConnectionsAsync(string vhost)
    {
        using var client = Management();
        var connections = await client.GetFromJsonAsync<List<JsonElement>>(
            $"api/vhosts/{Uri.EscapeDataString(vhost)}/connections");
        foreach (var name in connections!.Select(c => c.GetProperty("name").GetString()!))
            await client.DeleteAsync($"api/connections/{Uri.EscapeDataString(name)}");
    }

    public async Task DeleteVirtualHostAsync(string name)
    {
        using var client = Management();
        await client.DeleteAsync($"api/vhosts/{name}");
    }
}

[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "rabbitmq";
}
