using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Fanout.Contracts;
using Fanout.Gateway.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Live;

/// <summary><c>GET /v1/events</c>: run and order events as Server-Sent Events, filtered, resumable.</summary>
internal static class EventsRoute
{
    public const string KeepAlive = "keep-alive";
    public const string Description =
        "Events: `run` (a FanoutStateChanged: started, progressed at most a few times a second per run, ended) and " +
        "`order` (an OrderStatusChanged of the FIFO's OrderStatusChanges). " +
        "Filters: cid, state (run events), fifo (order events), types=run,order. " +
        "Resume with the Last-Event-ID header or ?last_event_id=. A `keep-alive` event with empty data (which " +
        "browsers ignore) opens the stream and follows every 15 s of silence.";

    static readonly string[] Types = [LiveEvent.Run, LiveEvent.Order];

    public static IEndpointRouteBuilder MapEventRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1").AddEndpointFilter<ApiKeyFilter>().MapGet("/events", Get)
            .WithSummary("Run and order events as they happen (text/event-stream); ?cid=&state=&fifo=&types=")
            .WithDescription(Description);
        return app;
    }

    public static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> Get(HttpContext http,
        string? cid, string? state, string? fifo, string? types, long? last_event_id, LiveEventFeed feed,
        GatewaySettings settings, TimeProvider time)
    {
        if (state is not null && !FanoutStates.All.Contains(state))
            return Problems.BadRequest(ErrorCodes.UnknownState,
                $"state '{state}' is unknown: use one of {string.Join(", ", FanoutStates.All)}", "state");
        var wanted = types?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? Types;
        if (wanted.FirstOrDefault(t => !Types.Contains(t)) is { } unknown)
            return Problems.BadRequest(ErrorCodes.UnknownEventType,
                $"type '{unknown}' is unknown: use run, order or both (comma-separated)", "types");
        var resumeFrom = last_event_id;
        if (http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header)
        {
            if (!long.TryParse(header, out var id))
                return Problems.BadRequest(ErrorCodes.InvalidEventId,
                    $"Last-Event-ID '{header}' is not an event id of this gateway", "Last-Event-ID");
            resumeFrom = id;
        }

        var cancellationToken = http.RequestAborted;
        await feed.ConnectedAsync(cancellationToken);
        var filter = new EventFilter(cid, state, fifo, wanted.Contains(LiveEvent.Run),
            wanted.Contains(LiveEvent.Order));
        var last = feed.Log.LastId;
        // An id this process never gave (the gateway restarted) resumes from now.
        var start = resumeFrom is { } from && from <= last ? from : last;
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold the stream back
        return TypedResults.ServerSentEvents(
            Stream(feed.Log, filter, start, settings, time, cancellationToken));
    }

    static async IAsyncEnumerable<SseItem<string>> Stream(EventLog log, EventFilter filter, long after,
        GatewaySettings settings, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Sent at once, so the client knows it is subscribed: events from here on reach it.
        yield return new SseItem<string>(string.Empty, KeepAlive);
        while (!cancellationToken.IsCancellationRequested)
        {
            var (events, next) = log.After(after);
            foreach (var e in events)
            {
                after = e.Id;
                if (filter.Matches(e))
                    yield return new SseItem<string>(e.Json, e.Type) { EventId = e.Id.ToString() };
            }

            if (events.Count > 0)
                continue;
            if (!await Arrived(next, settings.EventKeepAliveInterval, time, cancellationToken))
                yield return new SseItem<string>(string.Empty, KeepAlive);
            else if (settings.EventBatchWindow > TimeSpan.Zero)
                // Events come in bursts: one wake-up per stream for the burst, not one per event and stream.
                await Task.Delay(settings.EventBatchWindow, time, cancellationToken);
        }
    }

    /// <summary>True when an event arrived, false after <paramref name="wait"/> of silence.</summary>
    static async Task<bool> Arrived(Task next, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(wait, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
