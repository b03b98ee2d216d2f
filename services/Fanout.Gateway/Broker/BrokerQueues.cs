using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Fanout.Bus;

namespace Fanout.Gateway.Broker;

/// <summary>
/// The broker's durable queues (depth, consumers) from RabbitMQ's management API, for <c>GET /v1/queues</c>: at
/// <see cref="GatewaySettings.ManagementUrl"/>, or the broker's first node on port 15672 with the broker's user and
/// password. Never throws for an unreachable API: the report says why instead.
/// </summary>
internal sealed class BrokerQueues : IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    readonly HttpClient? _http;
    readonly string? _vhost;
    readonly string _notRabbitMq = "the gateway's bus is not RabbitMQ, so there is no management API to ask";

    public BrokerQueues(FanoutBusSettings bus, GatewaySettings settings)
    {
        if (!bus.UsesRabbitMq)
            return;
        var nodes = RabbitMqNodes.Parse(bus.RabbitMq!);
        var userInfo = nodes.Primary.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(userInfo.ElementAtOrDefault(0) is { Length: > 0 } u ? u : "guest");
        var password = Uri.UnescapeDataString(userInfo.ElementAtOrDefault(1) ?? "guest");
        ManagementUri = settings.ManagementUrl is { Length: > 0 } url
            ? new Uri(url.TrimEnd('/') + "/")
            : new Uri($"http://{nodes.Primary.Host}:15672/");
        _vhost = nodes.VirtualHost;
        _http = new HttpClient { BaseAddress = ManagementUri, Timeout = Timeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    /// <summary>Where the management API is asked; null without RabbitMQ.</summary>
    public Uri? ManagementUri { get; }

    public async Task<QueueReport> ReadAsync(CancellationToken cancellationToken)
    {
        if (_http is null)
            return new QueueReport { Reachable = false, Problem = _notRabbitMq, Queues = [] };
        try
        {
            using var response = await _http.GetAsync($"api/queues/{Uri.EscapeDataString(_vhost!)}" +
                "?columns=name,consumers,messages_ready,messages_unacknowledged,auto_delete,exclusive",
                cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return Unreachable($"it answered {(int)response.StatusCode} {response.ReasonPhrase} " +
                    "(check the user and password, or set Fanout:Gateway:ManagementUrl)");
            var queues = await response.Content.ReadFromJsonAsync<List<ManagementQueue>>(cancellationToken)
                .ConfigureAwait(false) ?? [];
            return new QueueReport
            {
                Reachable = true, ManagementUrl = ManagementUri!.ToString(), VirtualHost = _vhost,
                Queues = queues.Where(q => !q.AutoDelete && !q.Exclusive).OrderBy(q => q.Name, StringComparer.Ordinal)
                    .Select(q => new BrokerQueue
                    {
                        Queue = q.Name, Consumers = q.Consumers, Ready = q.Ready, Unacknowledged = q.Unacknowledged,
                    }).ToList(),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException
            || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Unreachable(ex is TaskCanceledException
                ? $"it did not answer within {Timeout.TotalSeconds:0} s"
                : ex.Message.TrimEnd('.'));
        }
    }

    QueueReport Unreachable(string why) => new()
    {
        Reachable = false, ManagementUrl = ManagementUri!.ToString(), VirtualHost = _vhost,
        Problem = $"the RabbitMQ management API at {ManagementUri} is not reachable: {why}", Queues = [],
    };

    public void Dispose() => _http?.Dispose();

    sealed record ManagementQueue(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("consumers")] int Consumers,
        [property: JsonPropertyName("messages_ready")] long Ready,
        [property: JsonPropertyName("messages_unacknowledged")] long Unacknowledged,
        [property: JsonPropertyName("auto_delete")] bool AutoDelete,
        [property: JsonPropertyName("exclusive")] bool Exclusive);
}

/// <summary>The answer of <c>GET /v1/queues</c>.</summary>
public sealed record QueueReport
{
    /// <summary>False when the management API could not be asked; <see cref="Problem"/> says why.</summary>
    [JsonPropertyName("reachable")] public bool Reachable { get; init; }
    [JsonPropertyName("management_url")] public string? ManagementUrl { get; init; }
    [JsonPropertyName("vhost")] public string? VirtualHost { get; init; }
    [JsonPropertyName("problem")] public string? Problem { get; init; }

    /// <summary>Durable queues by name; a service's queue is named like the service.</summary>
    [JsonPropertyName("queues")] public required IReadOnlyList<BrokerQueue> Queues { get; init; }
}

public sealed record BrokerQueue
{
    [JsonPropertyName("queue")] public required string Queue { get; init; }
    [JsonPropertyName("consumers")] public int Consumers { get; init; }
    [JsonPropertyName("ready")] public long Ready { get; init; }
    [JsonPropertyName("unacknowledged")] public long Unacknowledged { get; init; }
}
