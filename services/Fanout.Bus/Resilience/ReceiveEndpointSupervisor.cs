using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Resilience;

/// <summary>
/// Restarts every receive endpoint that has not been consuming for <see cref="ReconnectSettings.Interval"/>, and ends a
/// process that stays stuck (<see cref="ReconnectSettings.StuckAfter"/>) with <see cref="StuckExitCode"/>.
/// MassTransit's RabbitMQ transport retries a lost connection itself, but with a back-off that cannot be configured:
/// exponential up to 30 s (±25 %), and never reset by a successful reconnect, so after a long outage (or a second one)
/// an endpoint comes back only up to ~37 s after the broker does; and an exception outside its retry filter
/// ("ReceiveTransport Cannot Retry") leaves the endpoint stopped for good. A restart starts a fresh transport, which
/// connects at once: so the longest wait is this interval, and no endpoint stays stopped.
/// <para>
/// An endpoint counts as not consuming when MassTransit says so, and also while a delivery cancelled with its consumer
/// (<see cref="CancelledDeliveries"/>) is still running: MassTransit reports that endpoint healthy, but has no consumer
/// on the broker until the delivery returns. A restart's stop may outlast its token (MassTransit's receive transport
/// awaits its own loop without it): so each restart runs on its own, a check never waits for one, and the next restart
/// of an endpoint starts only once the previous one finished.
/// </para>
/// </summary>
public sealed class ReceiveEndpointSupervisor(
    IBusControl bus,
    EndpointWatch watch,
    CancelledDeliveries cancelled,
    FanoutBusSettings settings,
    IHostApplicationLifetime lifetime,
    ProcessExit exit,
    TimeProvider time,
    ILogger<ReceiveEndpointSupervisor> logger) : BackgroundService
{
    /// <summary>The exit code of a process that ended itself because it was stuck (EX_TEMPFAIL: start it again).
    /// </summary>
    public const int StuckExitCode = 75;

    static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    readonly HashSet<string> _restarted = new(StringComparer.Ordinal);
    readonly HashSet<string> _stallsReported = new(StringComparer.Ordinal);
    readonly Dictionary<string, Task> _restarts = new(StringComparer.Ordinal);
    readonly HashSet<string> _slowRestartsReported = new(StringComparer.Ordinal);

    // MassTransit's description of an endpoint with nothing to consume yet (the bus's own reply queue until a request
    // is made): healthy whether or not the broker is there, so it says nothing about the connection and is left out.
    const string NotStarted = "ready (not started)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Until every hosted service started, endpoints that are not ready yet are starting, not lost.
        await WhenStarted(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(CheckEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                if (!Check(stoppingToken))
                    return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Receive endpoint check failed");
            }
        }
    }

    /// <summary>One look at the endpoints; false once the process is stuck and on its way out.</summary>
    bool Check(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var stalled = cancelled.Stalled(settings.Reconnect.Interval);
        ReportStalls(stalled);
        var endpoints = bus.CheckHealth().Endpoints.Values.Where(e => e.Description != NotStarted).ToList();
        var due = watch.Observe(now, endpoints.Select(e =>
            (Address(e), e.Status == BusHealthStatus.Healthy && !stalled.ContainsKey(Address(e)))));
        foreach (var back in endpoints.Where(e => e.Status == BusHealthStatus.Healthy
                                                  && !stalled.ContainsKey(Address(e)) && _restarted.Remove(Address(e))))
            logger.LogInformation("Receive endpoint {Endpoint} consuming again", Address(back));
        foreach (var endpoint in endpoints.Where(e => due.Contains(Address(e))))
            Restart(endpoint, stalled.ContainsKey(Address(endpoint)), cancellationToken);

        if (!settings.Reconnect.ExitWhenStuck || watch.Stuck(now) is not [_, ..] stuck)
            return true;
        var line = $"Receive endpoint(s) {string.Join(", ", stuck)} not consuming for over " +
                   $"{settings.Reconnect.StuckAfter.TotalSeconds:0} s while others of this process are (the broker " +
                   $"is reachable); exiting with code {StuckExitCode} so that the process is started again";
        logger.LogCritical("{Stuck}", line);
        // Also straight to stderr: the process ends now, before a buffered log provider would write. No graceful stop:
        // it would wait for the very deliveries that hold the endpoint; unacknowledged ones go back to their queues.
        Console.Error.WriteLine(line);
        exit.Exit(StuckExitCode);
        return false;
    }

    void ReportStalls(IReadOnlyDictionary<string, DateTimeOffset> stalled)
    {
        foreach (var (endpoint, since) in stalled.Where(s => _stallsReported.Add(s.Key)))
            logger.LogWarning("Receive endpoint {Endpoint} has no consumer: a delivery cancelled {Seconds:0} s ago " +
                              "(its channel closed or the broker cancelled its consumer) has not returned, and the " +
                              "endpoint consumes again only once it has", endpoint,
                (time.GetUtcNow() - since).TotalSeconds);
        _stallsReported.IntersectWith(stalled.Keys);
    }

    void Restart(EndpointHealthResult endpoint, bool stalled, CancellationToken cancellationToken)
    {
        var address = Address(endpoint);
        if (_restarts.TryGetValue(address, out var previous) && !previous.IsCompleted)
        {
            if (_slowRestartsReported.Add(address))
                logger.LogWarning("Receive endpoint {Endpoint} still not consuming; its restart has not finished " +
                                  "(the stop waits for the endpoint's running deliveries)", address);
            return;
        }

        _slowRestartsReported.Remove(address);

        var reason = stalled ? "a cancelled delivery still running" : endpoint.Description;
        if (_restarted.Add(address))
            logger.LogWarning(
                "Receive endpoint {Endpoint} not consuming ({Reason}); restarting it every {Interval} s until it is",
                address, reason, settings.Reconnect.Interval.TotalSeconds);
        else
            logger.LogDebug("Receive endpoint {Endpoint} still not consuming ({Reason}); restarting it", address,
                reason);
        _restarts[address] = RestartAsync(endpoint, cancellationToken);
    }

    async Task RestartAsync(EndpointHealthResult endpoint, CancellationToken cancellationToken)
    {
        var address = Address(endpoint);
        // The timeout ends the waits that heed it (for dependents, for a consumer's running deliveries); the receive
        // transport's own loop is awaited without it, so a stop may take longer, and the endpoint starts once it ends.
        using var stopTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stopTimeout.CancelAfter(settings.Reconnect.Interval);
        try
        {
            await endpoint.ReceiveEndpoint.Stop(stopTimeout.Token).ConfigureAwait(false);
            endpoint.ReceiveEndpoint.Start(CancellationToken.None);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Restarting receive endpoint {Endpoint} failed; trying again in {Interval} s",
                address, settings.Reconnect.Interval.TotalSeconds);
        }
    }

    static string Address(EndpointHealthResult endpoint) => endpoint.InputAddress.AbsolutePath.Trim('/');

    Task WhenStarted(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(cancellationToken);
    }
}
