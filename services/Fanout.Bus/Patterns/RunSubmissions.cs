using System.Runtime.InteropServices;
using System.Text.Json;
using Fanout.Bus.Coalescing;
using Fanout.Bus.Resilience;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Bus.Patterns;

/// <summary>
/// Carries the runs this process's <see cref="IFanoutPatterns"/> clients submit to the orchestrator together: what
/// arrives while <see cref="MaxInFlight"/> requests are out leaves as one <see cref="InvokeFanouts"/>, so under load
/// one bus round trip (and one saga commit) serves many runs, while a lone submission leaves at once. Each caller gets
/// its own run's answer (accepted or rejected), or the request's failure. One per bus, shared by every source.
/// </summary>
public sealed class RunSubmissions(IBus bus, FanoutBusSettings settings, BoundedPublish bounded)
    : CoalescingSubmitter<InvokeFanout, FanoutAnswer, InvokeFanouts, FanoutsAnswered>(
        bus, settings.AcknowledgeTimeout, MaxInFlight, MaxBatch, MaxBatchBytes)
{
    /// <summary>Bus requests out at once; more submissions wait and go together.</summary>
    const int MaxInFlight = 4;

    /// <summary>
    /// Most runs in one request; the gateway takes 64. A batch's runs start in one commit and wait for its slowest:
    /// at 200 × 10 batches of 16 kept the pipeline fuller (third run of two cold starts each: 2,187 and 2,440
    /// targets/s, p50 0.71 and 0.65 s, against 1,562 and 1,561 targets/s, p50 1.09 and 1.16 s with 64).
    /// </summary>
    const int MaxBatch = 16;

    /// <summary>
    /// Most bytes of runs in one request (a larger run goes alone), well under RabbitMQ's message size limit.
    /// </summary>
    const long MaxBatchBytes = 1024 * 1024;

    /// <param name="run">The run, completed and checked, its CID set.</param>
    /// <param name="cancellationToken">The caller's: ends its wait, not the request its run is in.</param>
    internal Task<FanoutAnswer> SubmitAsync(InvokeFanout run, CancellationToken cancellationToken) =>
        SubmitAsync(run, Bytes(run), cancellationToken);

    protected override InvokeFanouts Request(IReadOnlyList<InvokeFanout> batch) => new() { Runs = batch };

    protected override IReadOnlyList<FanoutAnswer> Answers(FanoutsAnswered response) => response.Answers;

    /// <summary>
    /// Sent again only when it did not leave (a closed channel): a second copy of one that did would be refused as a
    /// duplicate CID. The request's own timeout answers first; the bound is for a send that hangs past it.
    /// </summary>
    protected override async Task<FanoutsAnswered> SendAsync(InvokeFanouts request,
        CancellationToken cancellationToken)
    {
        FanoutsAnswered? answered = null;
        await bounded.RunAsync(async token => answered = await base.SendAsync(request, token).ConfigureAwait(false),
            cancellationToken, retryUnconfirmed: false, limit: Timeout + TimeSpan.FromSeconds(5))
            .ConfigureAwait(false);
        return answered!;
    }

    /// <summary>The run's size as JSON, about: its payloads as they are, plus names and a little per field.</summary>
    internal static long Bytes(InvokeFanout run)
    {
        var bytes = 512L;
        foreach (var (name, request) in run.Targets)
            bytes += name.Length + Raw(request) + 8;
        foreach (var call in run.Calls ?? [])
            bytes += call.Service.Length + (call.Key?.Length ?? 0) + (call.Request is { } request ? Raw(request) : 4)
                     + 64;
        foreach (var callback in run.OnFinal.Concat(run.OnTarget))
            bytes += callback.Length + 4;
        return bytes;
    }

    static int Raw(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(element).Length;
}
