using System.Text.Json;
using Fanout.Bus.Telemetry;
using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;

namespace Fanout.Orchestrator.Targets;

/// <summary>
/// Records targets' outcomes once, counts them in the saga (and adds them to its <see cref="FanoutSaga.JustFinished"/>)
/// and queues their per-target callbacks. Rows are untracked: <see cref="FlushAsync"/> writes the recorded ones in one
/// prepared batch, before anything else in the transaction reads them.
/// </summary>
public sealed class ResultRecorder(TargetRowWriter writer, TimeProvider time)
{
    readonly List<TargetResult> _unwritten = [];

    public void Record(FanoutSaga saga, TargetResult row, string status, bool ok, JsonElement? response,
        string? exception, DateTime respondedAtUtc, int attempts)
    {
        SetOutcome(row, status, ok, response, exception, respondedAtUtc, attempts);
        _unwritten.Add(row);
        Track(saga, row);
    }

    /// <summary>
    /// Records an outcome the caller already stored (<c>TargetRowWriter.RecordFirstOutcomesAsync</c>).
    /// </summary>
    public void RecordStored(FanoutSaga saga, TargetResult row) => Track(saga, row);

    /// <summary>Sets a row's outcome fields as <see cref="Record"/> stores them; no response time means now.</summary>
    public void SetOutcome(TargetResult row, string status, bool ok, JsonElement? response, string? exception,
        DateTime respondedAtUtc, int attempts)
    {
        row.Status = status;
        row.Finished = true;
        row.Ok = ok;
        row.Attempts = attempts;
        row.ResponseJson = Normalize(response);
        row.Exception = ok ? null : exception ?? "The target reported a failure without exception text.";
        row.RespondedAtUtc = respondedAtUtc == default
            ? time.GetUtcNow().UtcDateTime
            : respondedAtUtc.ToUniversalTime();
    }

    void Track(FanoutSaga saga, TargetResult row)
    {
        saga.JustFinished.Add(row);
        saga.FinishedCount++;
        FanoutMetrics.TargetsCompleted.Add(1);
        if (!row.Ok)
            saga.FailedCount++;
        QueueTargetCallbacks(saga, row);
    }

    /// <summary>
    /// Queues the per-target callbacks of a finished row (also for rows ended in bulk by <c>UnfinishedTargets</c>).
    /// </summary>
    public void QueueTargetCallbacks(FanoutSaga saga, TargetResult row)
    {
        if (saga.OnTarget.Count == 0)
            return;
        var channel = saga.Mode == InvocationMode.Parallel ? Channels.ParallelExecOnTarget : Channels.FanoutOnTarget;
        var payload = ResultPayloads.From(saga, row, time.GetUtcNow().UtcDateTime);
        foreach (var callback in saga.OnTarget)
            saga.Publish(new TargetCallbackRequested { Callback = callback, Channel = channel, Payload = payload });
    }

    /// <summary>Writes the rows recorded since the last flush.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await writer.UpdateOutcomesAsync(_unwritten, cancellationToken).ConfigureAwait(false);
        _unwritten.Clear();
    }

    /// <summary>Compact JSON text, so the same value posted twice with other whitespace compares equal.</summary>
    static string? Normalize(JsonElement? element) =>
        element is { } value && value.ValueKind != JsonValueKind.Undefined ? JsonSerializer.Serialize(value) : null;

    /// <summary>
    /// True when the stored outcome equals the one offered (a repeat, not a conflict); key order does not matter.
    /// </summary>
    public static bool IsSame(TargetResult row, bool ok, JsonElement? response, string? exception) =>
        row.Ok == ok
        && JsonElement.DeepEquals(
            JsonDocument.Parse(row.ResponseJson ?? "null").RootElement,
            JsonDocument.Parse(Normalize(response) ?? "null").RootElement)
        && (ok || row.Exception == (exception ?? row.Exception));
}
