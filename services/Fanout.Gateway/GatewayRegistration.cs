using Fanout.Bus;
using Fanout.Bus.Logging;
using Fanout.Bus.Telemetry;
using Fanout.Gateway.Broker;
using Fanout.Gateway.Dashboard;
using Fanout.Gateway.Http;
using Fanout.Gateway.Live;
using Fanout.Gateway.Routes;
using Fanout.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Trace;

namespace Fanout.Gateway;

public static class GatewayRegistration
{
    /// <summary>
    /// Everything the gateway needs besides the bus: settings, body reading, API key, health, OpenAPI.
    /// </summary>
    public static WebApplicationBuilder AddFanoutGateway(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(GatewaySettings.Section).Get<GatewaySettings>()
            ?? new GatewaySettings();
        if (builder.Configuration[GatewaySettings.ApiKeyVariable] is { Length: > 0 } key)
            settings.ApiKey = key;
        builder.Services.AddSingleton(settings);
        builder.Logging.AddFanoutLogging(builder.Configuration);
        builder.Services.AddRequestLogging(builder.Logging);
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, settings.MinThreads), io);
        builder.Services.AddSingleton<JsonBody>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.AddSingleton<OrchestratorClient>();
        builder.Services.AddSingleton<OrderSubmitter>();
        builder.Services.AddSingleton<RunSubmitter>();
        builder.Services.AddSingleton<BrokerQueues>();
        builder.Services.AddSingleton(new EventLog(settings.EventBufferSize));
        builder.Services.AddSingleton<LiveEventFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OrderSubmitter>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunSubmitter>());
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<OrchestratorHealthCheck>("orchestrator");
        builder.Services.AddFanoutBus(builder.Configuration);
        // The HTTP request's span is the root of the run's trace: MassTransit's send span nests under it.
        if (FanoutTelemetry.IsEnabled(builder.Configuration))
            builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddAspNetCoreInstrumentation());
        builder.WebHost.UseUrls(settings.Url);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);
        return builder;
    }

    public static WebApplication MapFanoutGateway(this WebApplication app)
    {
        app.UseRequestLogging();
        app.UseLoopbackOnlyWithoutKey();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapHealthChecks("/health");
        app.MapFanoutHealth();
        app.MapFanoutRoutes();
        app.MapOrderRoutes();
        app.MapEventRoutes();
        app.MapSessionRoutes();
        app.MapDashboard();
        app.MapFallback(() => Problems.NotFound("No such endpoint; the API is described at /openapi/v1.json."));
        return app;
    }
}
