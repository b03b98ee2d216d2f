using System.Net;
using Fanout.Bus.Resilience;
using Fanout.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Tests.Resilience;

/// <summary>/health/live and /health/ready answer from the checks of their tag; a degraded bus is not ready.</summary>
public sealed class HealthEndpointTests
{
    [Theory]
    [InlineData(HealthStatus.Healthy, HealthStatus.Healthy, HttpStatusCode.OK, HttpStatusCode.OK)]
    [InlineData(HealthStatus.Healthy, HealthStatus.Degraded, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable)]
    [InlineData(HealthStatus.Healthy, HealthStatus.Unhealthy, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable)]
    [InlineData(HealthStatus.Unhealthy, HealthStatus.Healthy, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK)]
    public async Task Each_path_maps_its_checks_to_a_status_code(HealthStatus live, HealthStatus ready, HttpStatusCode liveCode,
        HttpStatusCode readyCode)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHealthChecks()
            .AddCheck("live", () => new HealthCheckResult(live, "live check"), [HealthTags.Live])
            .AddCheck("bus", () => new HealthCheckResult(ready, "Degraded Endpoints: fanout.invoke"), [HealthTags.Ready]);
        await using var app = builder.Build();
        app.MapFanoutHealth();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal(liveCode, (await http.GetAsync("/health/live")).StatusCode);
        var response = await http.GetAsync("/health/ready");
        Assert.Equal(readyCode, response.StatusCode);
        Assert.Contains("fanout.invoke", await response.Content.ReadAsStringAsync());
        await app.StopAsync();
    }
}
