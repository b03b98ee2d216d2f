using System.Net.Http.Json;
using System.Text.Json;

namespace Fanout.Chaos.Deployment;

/// <summary>
/// Broker-side connection control: the connection of a queue's single active consumer, closed by the broker.
/// </summary>
public sealed partial class Management
{
    /// <summary>The connection whose consumer is the single active one on <paramref name="queue"/>.</summary>
    public async Task<string?> ActiveConsumerConnectionAsync(string queue, CancellationToken cancellationToken)
    {
        var details = await _http.GetFromJsonAsync<JsonElement>($"api/queues/%2F/{Uri.EscapeDataString(queue)}",
            cancellationToken);
        foreach (var consumer in details.GetProperty("consumer_details").EnumerateArray())
            // Until the statistics caught up, a new consumer's channel is described as [] instead of an object.
            if (consumer.TryGetProperty("activity_status", out var status) && status.GetString() == "single_active"
                && consumer.GetProperty("channel_details").ValueKind == JsonValueKind.Object)
                return consumer.GetProperty("channel_details").GetProperty("connection_name").GetString();
        return null;
    }

    /// <summary>The broker closes the connection (as <c>rabbitmqctl close_connection</c> does).</summary>
    public async Task CloseConnectionAsync(string connection, string reason, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete,
            $"api/connections/{Uri.EscapeDataString(connection)}");
        request.Headers.Add("X-Reason", reason);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
