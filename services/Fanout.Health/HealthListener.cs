using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Health;

/// <summary>
/// A Kestrel listener beside a generic host that serves only the health paths, answered by the host's own
/// <see cref="HealthCheckService"/>: the process stays a plain worker, and a supervisor (compose, Kubernetes) can probe
/// it.
/// </summary>
sealed class HealthListener(string url, HealthCheckService health, ILogger<HealthListener> logger)
    : IHostedService, IAsyncDisposable
{
    WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        builder.Services.AddSingleton(health);
        _app = builder.Build();
        _app.MapFanoutHealth();
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Health endpoints on {Url}/health/live and /health/ready", url.TrimEnd('/'));
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _app?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;
}
