using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Cli.Broker;

/// <summary>
/// RabbitMQ's management HTTP API (port 15672 unless told otherwise), for queue depths and consumers.
/// </summary>
public sealed class ManagementApi(Uri baseUri, string user, string password)
{
    public Uri BaseUri { get; } = baseUri;

    public sealed record Queue(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("consumers")] int Consumers,
        [property: JsonPropertyName("messages_ready")] long Ready,
        [property: JsonPropertyName("messages_unacknowledged")] long Unacknowledged,
        [property: JsonPropertyName("auto_delete")] bool AutoDelete,
        [property: JsonPropertyName("exclusive")] bool Exclusive);

    /// <summary>
    /// Same host and credentials as the broker URL, on port 15672; <paramref name="explicitUrl"/> overrides.
    /// </summary>
    public static ManagementApi For(BrokerAddress broker, string? explicitUrl)
    {
        var userInfo = broker.Uri.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(userInfo.ElementAtOrDefault(0) is { Length: > 0 } u ? u : "guest");
        var password = Uri.UnescapeDataString(userInfo.ElementAtOrDefault(1) ?? "guest");
        if (explicitUrl is not null && !Uri.TryCreate(explicitUrl, UriKind.Absolute, out _))
            throw CliException.Usage(
                $"--management: '{explicitUrl}' is not a URL (for example http://localhost:15672)");
        var baseUri = explicitUrl is not null
            ? new Uri(explicitUrl.TrimEnd('/') + "/")
            : new Uri($"http://{broker.Host}:15672/");
        return new ManagementApi(baseUri, user, password);
    }

    public async Task<IReadOnlyList<Queue>> QueuesAsync(string vhost, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync($"api/queues/{Uri.EscapeDataString(vhost)}" +
                "?columns=name,consumers,messages_ready,messages_unacknowledged,auto_delete,exclusive",
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException
            or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw CliException.Unavailable(
                $"the RabbitMQ management API is not reachable at {BaseUri} ({ex.Message.TrimEnd('.')}); " +
                "enable it with 'rabbitmq-plugins enable rabbitmq_management' or pass --management");
        }

        if (!response.IsSuccessStatusCode)
            throw CliException.Unavailable(
                $"the RabbitMQ management API at {BaseUri} " +
                $"answered {(int)response.StatusCode} {response.ReasonPhrase} " +
                "(check the user and password)");
        var queues = await JsonSerializer.DeserializeAsync<List<Queue>>(
            await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return queues ?? [];
    }
}
