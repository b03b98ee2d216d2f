using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Fanout.Chaos.Deployment;

/// <summary>The private broker's management HTTP API: queue consumers and depths, raw publishes, peeking at messages.</summary>
public sealed partial class Management : IDisposable
{
    readonly HttpClient _http;

    public Management(Uri baseAddress)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("guest:guest")));
    }

    /// <summary>A queue's consumers, and its messages (ready plus unacknowledged) of which unacknowledged.</summary>
    public sealed record QueueState(string Name, int Consumers, long Messages, long Unacknowledged);

    /// <summary>Every queue of the default virtual host; null while the broker does not answer.</summary>
    public async Task<IReadOnlyList<QueueState>?> QueuesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var queues = await _http.GetFromJsonAsync<JsonElement>(
                "api/queues/%2F?columns=name,consumers,messages,messages_unacknowledged", cancellationToken);
            return queues.EnumerateArray().Select(q => new QueueState(q.GetProperty("name").GetString()!,
                (int)Number(q, "consumers"), Number(q, "messages"), Number(q, "messages_unacknowledged"))).ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    // The broker leaves a statistic out until it has a value.
    static long Number(JsonElement queue, string name) =>
        queue.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    /// <summary>One consumer: its queue and the process id its client announced on its connection (or null).</summary>
    public sealed record Consumer(string Queue, int? ProcessId);

    /// <summary>
    /// Every consumer of the default virtual host; null while the broker does not answer. Unlike the per-queue counts
    /// of <see cref="QueuesAsync"/>, which the broker refreshes only every few seconds (later under load), the
    /// consumer list changes as consumers come and go.
    /// </summary>
    public async Task<IReadOnlyList<Consumer>?> ConsumersAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connections = await _http.GetFromJsonAsync<JsonElement>(
                "api/connections?columns=name,client_properties", cancellationToken);
            var pids = connections.EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, ProcessId);
            var consumers = await _http.GetFromJsonAsync<JsonElement>("api/consumers/%2F", cancellationToken);
            return consumers.EnumerateArray().Select(c => new Consumer(
                c.GetProperty("queue").GetProperty("name").GetString()!,
                ConnectionName(c) is { } name ? pids.GetValueOrDefault(name) : null)).ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException
                                       or KeyNotFoundException or InvalidOperationException
                                   && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    static string? ConnectionName(JsonElement consumer) =>
        consumer.TryGetProperty("channel_details", out var channel) && channel.ValueKind == JsonValueKind.Object &&
        channel.TryGetProperty("connection_name", out var name) ? name.GetString() : null;

    // MassTransit announces the process id among the connection's client properties.
    static int? ProcessId(JsonElement connection) =>
        connection.TryGetProperty("client_properties", out var properties)
        && properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("process_id", out var id)
        && int.TryParse(id.GetString(), out var pid)
            ? pid
            : null;

    /// <summary>The client port of the connection whose consumer is the single active one on <paramref name="queue"/>.</summary>
    public async Task<int?> ActiveConsumerPortAsync(string queue, CancellationToken cancellationToken)
    {
        var details = await _http.GetFromJsonAsync<JsonElement>($"api/queues/%2F/{Uri.EscapeDataString(queue)}", cancellationToken);
        foreach (var consumer in details.GetProperty("consumer_details").EnumerateArray())
            if (consumer.TryGetProperty("activity_status", out var status) && status.GetString() == "single_active")
                return consumer.GetProperty("channel_details").GetProperty("peer_port").GetInt32();
        return null;
    }

    /// <summary>Publishes a raw body to a queue through the default exchange, as any client on the network could.</summary>
    public async Task PublishRawAsync(string queue, string body, string contentType, IReadOnlyDictionary<string, string> headers,
        CancellationToken cancellationToken)
    {
        var request = new
        {
            properties = new { content_type = contentType, delivery_mode = 2, message_id = Guid.NewGuid().ToString(), headers },
            routing_key = queue,
            payload = body,
            payload_encoding = "string",
        };
        var response = await _http.PostAsJsonAsync("api/exchanges/%2F/amq.default/publish", request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var routed = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("routed").GetBoolean();
        if (!routed)
            throw new InvalidOperationException($"nothing is bound to route to {queue}");
    }

    /// <summary>The headers of up to <paramref name="count"/> messages of a queue, which stay in it (requeued).</summary>
    public async Task<IReadOnlyList<JsonElement>> PeekHeadersAsync(string queue, int count, CancellationToken cancellationToken)
    {
        var response = await _http.PostAsJsonAsync($"api/queues/%2F/{Uri.EscapeDataString(queue)}/get",
            new { count, ackmode = "ack_requeue_true", encoding = "auto", truncate = 1000 }, cancellationToken);
        if (!response.IsSuccessStatusCode)
            return [];
        var messages = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return messages.EnumerateArray()
            .Select(m => m.GetProperty("properties").TryGetProperty("headers", out var h) ? h.Clone() : default)
            .ToList();
    }

    public void Dispose() => _http.Dispose();
}
