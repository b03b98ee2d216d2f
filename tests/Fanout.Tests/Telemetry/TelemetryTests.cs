using System.Diagnostics;
using Fanout.Bus.Logging;
using Fanout.Bus.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Fanout.Tests.Telemetry;

/// <summary>Telemetry is off unless an OTLP endpoint is configured; consume spans get the message's fields as fanout.* tags.</summary>
public class TelemetryTests
{
    static ServiceProvider Build(string? endpoint) => new ServiceCollection()
        .AddFanoutTelemetry(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [FanoutTelemetry.EndpointVariable] = endpoint }).Build())
        .BuildServiceProvider();

    [Fact]
    public void Without_an_endpoint_no_tracer_or_meter_provider_is_registered()
    {
        using var provider = Build(null);
        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
    }

    [Fact]
    public void With_an_endpoint_traces_and_metrics_are_exported()
    {
        using var provider = Build("http://localhost:4317");
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());
    }

    [Fact]
    public void A_recorded_span_gets_the_fields_and_an_unrecorded_one_is_left_alone()
    {
        var recorded = new Activity("consume") { ActivityTraceFlags = ActivityTraceFlags.Recorded };
        recorded.IsAllDataRequested = true;
        SpanTags.Add(recorded, LogFields.Of(("cid", "c1"), ("callback", "cb.final")));
        Assert.Equal("c1", recorded.GetTagItem("fanout.cid"));
        Assert.Equal("cb.final", recorded.GetTagItem("fanout.callback"));

        var unrecorded = new Activity("consume") { IsAllDataRequested = false };
        SpanTags.Add(unrecorded, LogFields.Of(("cid", "c1")));
        Assert.Null(unrecorded.GetTagItem("fanout.cid"));
    }
}
