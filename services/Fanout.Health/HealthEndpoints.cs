using System.Text.Json;
using Fanout.Bus.Resilience;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Health;

/// <summary>
/// <c>/health/live</c>: the process is not stuck (restart it when this fails). <c>/health/ready</c>: every receive
/// endpoint consumes (MassTransit's bus check); a degraded bus, some endpoints down, answers 503 too.
/// </summary>
public static class HealthEndpoints
{
    public const string UrlVariable = "FANOUT_HEALTH_URL";
    public const string UrlKey = "Fanout:Health:Url";

    /// <summary>
    /// For hosts that are not web applications: serve both paths on <c>FANOUT_HEALTH_URL</c> when it is set.
    /// </summary>
    public static IHostApplicationBuilder AddFanoutHealthEndpoints(this IHostApplicationBuilder builder)
    {
        var url = builder.Configuration[UrlVariable] is { Length: > 0 } fromVariable
            ? fromVariable
            : builder.Configuration[UrlKey];
        if (!string.IsNullOrWhiteSpace(url))
            builder.Services.AddHostedService(p => new HealthListener(url, p.GetRequiredService<HealthCheckService>(),
                p.GetRequiredService<ILogger<HealthListener>>()));
        return builder;
    }

    public static IEndpointRouteBuilder MapFanoutHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", Options(HealthTags.Live));
        endpoints.MapHealthChecks("/health/ready", Options(HealthTags.Ready));
        return endpoints;
    }

    static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteAsync,
    };

    /// <summary>The status and, per check, what is wrong (which endpoints), so a 503 explains itself.</summary>
    static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.ToDictionary(d => d.Key, d => d.Value.ToString()),
            }),
        }, cancellationToken: context.RequestAborted);
    }
}
