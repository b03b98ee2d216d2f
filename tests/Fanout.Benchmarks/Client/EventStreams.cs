using Fanout.Benchmarks.Scenarios;

namespace Fanout.Benchmarks.Client;

/// <summary>
/// <c>--event-streams N</c>: N open <c>GET /v1/events</c> streams on the gateway for the whole run, each read to the
/// end as a dashboard would, to measure what watching costs the scenarios.
/// </summary>
public sealed class EventStreams : IAsyncDisposable
{
    readonly HttpClient _http;
    readonly CancellationTokenSource _stop = new();
    readonly List<Task> _readers = [];
    long _events;

    EventStreams(string gatewayUrl) =>
        _http = new HttpClient { BaseAddress = new Uri(gatewayUrl), Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Events received over all streams so far.</summary>
    public long Events => Interlocked.Read(ref _events);

    public static async Task<EventStreams> OpenAsync(string gatewayUrl, int count, CancellationToken cancellationToken)
    {
        var streams = new EventStreams(gatewayUrl);
        for (var i = 0; i < count; i++)
        {
            var response = await streams._http.GetAsync("/v1/events", HttpCompletionOption.ResponseHeadersRead,
                cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            streams._readers.Add(streams.ReadAsync(response, body));
        }

        BenchContext.Progress($"{count} event streams open on {gatewayUrl}/v1/events");
        return streams;
    }

    async Task ReadAsync(HttpResponseMessage response, Stream body)
    {
        using var _ = response;
        using var reader = new StreamReader(body);
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
                if (line.StartsWith("id:", StringComparison.Ordinal))
                    Interlocked.Increment(ref _events);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // Closed at the end of the run.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);
        BenchContext.Progress($"event streams closed; {Events} events received over {_readers.Count} streams");
        _http.Dispose();
        _stop.Dispose();
    }
}
