using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fanout.Bus.Telemetry;

/// <summary>
/// Traces and metrics of every host, exported over OTLP only when <see cref="EndpointVariable"/> is set. Spans come
/// from MassTransit's ActivitySource (it carries the trace context in message headers, so one fan-out is one trace
/// across processes); metrics from <see cref="FanoutMetrics"/>. Unset, nothing listens, so spans and instruments cost
/// nothing.
/// </summary>
public static class FanoutTelemetry
{
    /// <summary>
    /// The standard OpenTelemetry variable; the exporter also reads OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME etc.
    /// </summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>MassTransit 8's ActivitySource name.</summary>
    public const string MassTransitSource = "MassTransit";

    public static bool IsEnabled(IConfiguration configuration) => configuration[EndpointVariable] is { Length: > 0 };

    public static IServiceCollection AddFanoutTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsEnabled(configuration))
            return services;
        services.AddOpenTelemetry()
            .ConfigureResource(r =>
                r.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "fanout"))
            .WithTracing(t => t.AddSource(MassTransitSource).AddOtlpExporter())
            .WithMetrics(m => m.AddMeter(FanoutMetrics.MeterName).AddOtlpExporter());
        return services;
    }
}
