using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Resilience;

/// <summary>
/// Restarts every receive endpoint that has not been consuming for <see cref="ReconnectSettings.Interval"/>.
/// MassTransit's RabbitMQ transport retries a lost connection itself, but with a back-off that cannot be configured:
/// exponential up to 30 s (±25 % jitter), and never reset by a successful reconnect, so after a long outage (or a
/// second one) an endpoint comes back only up to ~37 s after the broker does; and an exception outside its retry
/// filter ("ReceiveTransport Cannot Retry") leaves the endpoint stopped for good. A restart starts a fresh transport,
/// which connects at once: so the longest wait is this interval, and no endpoint stays stopped.
/// </summary>
public sealed class ReceiveEndpointSupervisor(
    IBusControl bus,
    EndpointWatch watch,
    FanoutBusSettings settings,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ReceiveEndpointSupervisor> logger) : BackgroundService
{
    static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    readonly HashSet<string> _restarted = new(StringComparer.Ordinal);

    // MassTransit's description of an endpoint with nothing to consume yet (the bus's own reply queue until a request is
    // made): healthy whether or not the broker is there, so it says nothing about the connection and is left out.
    const string NotStarted = "ready (not started)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Until every hosted service started, endpoints that are not ready yet are starting, not lost.
        await WhenStarted(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(CheckEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Receive endpoint check failed");
            }
        }
    }

    async Task CheckAsync(CancellationToken cancellationToken)
    {
        var endpoints = bus.CheckHealth().Endpoints.Values.Where(e => e.Description != NotStarted).ToList();
        var due = watch.Observe(time.GetUtcNow().UtcDateTime,
            endpoints.Select(e => (Address(e), e.Status == BusHealthStatus.Healthy)));
        foreach (var back in endpoints.Where(e => e.Status == BusHealthStatus.Healthy && _restarted.Remove(Address(e))))
            logger.LogInformation("Receive endpoint {Endpoint} consuming again", Address(back));
        await Task.WhenAll(endpoints.Where(e => due.Contains(Address(e))).Select(e => RestartAsync(e, cancellationToken)))
            .ConfigureAwait(false);
    }

    async Task RestartAsync(EndpointHealthResult endpoint, CancellationToken cancellationToken)
    {
        var address = Address(endpoint);
        if (_restarted.Add(address))
            logger.LogWarning("Receive endpoint {Endpoint} not consuming ({Reason}); restarting it every {Interval} s until it is",
                address, endpoint.Description, settings.Reconnect.Interval.TotalSeconds);
        else
            logger.LogDebug("Receive endpoint {Endpoint} still not consuming ({Reason}); restarting it", address, endpoint.Description);

        // A stop that hangs (a connection attempt that does not end) is abandoned; the next round tries again.
        using var stopTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stopTimeout.CancelAfter(settings.Reconnect.Interval);
        try
        {
            await endpoint.ReceiveEndpoint.Stop(stopTimeout.Token).ConfigureAwait(false);
            endpoint.ReceiveEndpoint.Start(CancellationToken.None);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Restarting receive endpoint {Endpoint} failed", address);
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
