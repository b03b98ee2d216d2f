using System.Net.ServerSentEvents;

namespace Fanout.IntegrationTests.Support;

/// <summary><c>GET /v1/events</c> read as a browser would: one SSE item at a time.</summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    readonly HttpResponseMessage _response;
    readonly IAsyncEnumerator<SseItem<string>> _items;

    EventStreamClient(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items)
    {
        _response = response;
        _items = items;
    }

    public HttpResponseMessage Response => _response;

    /// <summary>
    /// Opens the stream and reads its first item (the keep-alive that says the gateway follows the bus).
    /// </summary>
    public static async Task<EventStreamClient> OpenAsync(HttpClient http, string query = "",
        string? lastEventId = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events" + query);
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var items = SseParser.Create(body).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var client = new EventStreamClient(response, items);
        var first = await client.NextAsync();
        if (first.EventType != "keep-alive")
            throw new InvalidOperationException($"the stream opened with '{first.EventType}', not keep-alive");
        return client;
    }

    public async Task<SseItem<string>> NextAsync()
    {
        if (!await _items.MoveNextAsync())
            throw new InvalidOperationException("the event stream ended");
        return _items.Current;
    }

    /// <summary>
    /// Items other than keep-alives, until (and with) the first that <paramref name="last"/> accepts.
    /// </summary>
    public async Task<List<SseItem<string>>> ReadUntilAsync(Func<SseItem<string>, bool> last)
    {
        var items = new List<SseItem<string>>();
        while (true)
        {
            var item = await NextAsync();
            if (item.EventType == "keep-alive")
                continue;
            items.Add(item);
            if (last(item))
                return items;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _items.DisposeAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // The connection is being closed on purpose.
        }

        _response.Dispose();
    }
}
