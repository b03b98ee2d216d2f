using System.Diagnostics;
using System.Reflection;
using Fanout.Bus.Hosting.Calls;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Hosting;

/// <summary>
/// Tells the service directory which services this process hosts: at start, every
/// <see cref="ServiceHostSettings.AnnounceInterval"/>, and once more when it stops (so it is forgotten at once).
/// A lost announcement costs nothing: the directory forgets an instance only after several. Each announcement carries
/// the services' <see cref="CallCounters"/> as they stand.
/// </summary>
public sealed class ServiceAnnouncer(IBus bus, IReadOnlyList<string> services, ServiceHostSettings settings,
    CallCounters counters, TimeProvider time, ILogger<ServiceAnnouncer> logger) : BackgroundService
{
    readonly string _instanceId = Guid.NewGuid().ToString("N");
    readonly DateTime _startedAt = time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The version of the program that hosts the services (its informational version, without build metadata).
    /// </summary>
    public static string Version { get; } =
        (Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "unknown").Split('+')[0];

    ServicesAnnounced Announcement(TimeSpan interval) => new()
    {
        InstanceId = _instanceId, Services = services, Host = Environment.MachineName,
        ProcessId = Environment.ProcessId, Version = Version, Concurrency = settings.CallConcurrency,
        StartedAtUtc = _startedAt, IntervalMs = (long)interval.TotalMilliseconds,
        Calls = counters.Snapshot(services),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.AnnounceInterval, time);
        do
        {
            try
            {
                await bus.Publish(Announcement(settings.AnnounceInterval), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The broker is away: the next tick tries again; the directory waits several intervals.
                logger.LogDebug(ex, "Could not announce services {Services}", services);
            }
        } while (await Tick(timer, stoppingToken).ConfigureAwait(false));
    }

    static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var quick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quick.CancelAfter(TimeSpan.FromSeconds(2));
            await bus.Publish(Announcement(TimeSpan.Zero), quick.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not announce that services {Services} stop", services);
        }
    }
}
