using System.Collections.Concurrent;
using System.Diagnostics;
using Fanout.Bus.Telemetry;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// One fan-out is one trace: the trace context travels in message headers from the submit through the saga, the
/// targets and the final callback, each consume span named by its cid (and target or callback).
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class TracingTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    const string TestSource = "Fanout.IntegrationTests.Tracing";
    static readonly ActivitySource Test = new(TestSource);

    [Fact]
    public async Task One_fanout_is_one_trace_from_submit_to_final_callback()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is FanoutTelemetry.MassTransitSource or TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var orchestrator = await BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, c) => bus.AddOrchestrator(c));
        await using var services = await BusHost.StartAsync(Url, null, (bus, _) =>
            bus.AddService<OkTarget>().AddService<ThrowingTarget>().AddService<RecordingCallback>("trace.final"));
        var cid = "it-trace-" + Guid.NewGuid().ToString("N")[..8];

        ActivityTraceId traceId;
        ActivitySpanId submitId;
        using (var submit = Test.StartActivity("submit"))
        {
            (traceId, submitId) = (submit!.TraceId, submit.SpanId);
            await services.Patterns.Fanout.InvokeAsync(
                new Dictionary<string, object?> { ["t.ok"] = new { n = 1 }, ["t.boom"] = new { n = 2 } }, ["trace.final"], cid: cid);
        }

        await services.Recorder.WaitFor(_ => services.Recorder.Of("trace.final", cid).Count == 1, TimeSpan.FromSeconds(30));
        // A consume span stops after its consumer returns, so after the recorder saw the call.
        var ofRun = await Eventually.Until(
            () => spans.Where(s => Tag(s, "cid") == cid).ToList(),
            found => found.Any(s => Tag(s, "callback") == "trace.final")
                && found.Any(s => Consumed(s, nameof(InvokeFanouts)))
                && new[] { "t.ok", "t.boom" }.All(t => found.Any(s => Targets(s).Contains(t))),
            "consume spans of the saga, both targets and the final callback", describe: found => string.Join("; ", found.Select(Describe)));
        foreach (var span in ofRun)
            output.WriteLine(Describe(span));

        Assert.Contains(spans, s => s.Kind == ActivityKind.Producer && s.ParentSpanId == submitId);
        Assert.All(ofRun, s => Assert.Equal(traceId, s.TraceId));
    }

    static string Describe(Activity span) =>
        $"{span.TraceId} {span.Kind} {span.DisplayName} [{string.Join(", ", span.Tags.Select(t => $"{t.Key}={t.Value}"))}]";

    static string? Tag(Activity span, string field) => span.GetTagItem(SpanTags.Prefix + field) as string;

    static string[] Targets(Activity span) => span.GetTagItem(SpanTags.Prefix + "targets") as string[] ?? [];

    static bool Consumed(Activity span, string messageType) =>
        span.Kind == ActivityKind.Consumer && span.Tags.Any(t => t.Value?.Contains(messageType, StringComparison.Ordinal) == true);
}
