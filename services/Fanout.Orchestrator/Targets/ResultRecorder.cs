using System.Text.Json;
using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Runs;

namespace Fanout.Orchestrator.Targets;

/// <summary>Records one target's outcome once and queues its per-target callbacks.</summary>
public sealed class ResultRecorder(OutboxSession outbox)
{
    /// <summary>Rows recorded in this scope (one saga message), for the state-change event.</summary>
    public List<TargetResult> Recorded { get; } = [];

    public void Record(FanoutSaga saga, TargetResult row, string status, bool ok, JsonElement? response, string? exception,
        DateTime respondedAtUtc)
    {
        row.Status = status;
        row.Finished = true;
        row.Ok = ok;
        row.ResponseJson = Normalize(response);
        row.Exception = ok ? null : exception ?? "The target reported a failure without exception text.";
        row.RespondedAtUtc = respondedAtUtc == default ? DateTime.UtcNow : respondedAtUtc.ToUniversalTime();
        Recorded.Add(row);
        saga.FinishedCount++;
        if (!ok)
            saga.FailedCount++;

        if (saga.OnTarget.Count == 0)
            return;
        var channel = saga.Mode == InvocationMode.Parallel ? Channels.ParallelExecOnTarget : Channels.FanoutOnTarget;
        var payload = ResultPayloads.From(saga, row);
        foreach (var callback in saga.OnTarget)
            outbox.Publish(new TargetCallbackRequested { Callback = callback, Channel = channel, Payload = payload }, saga.Cid);
    }

    /// <summary>Compact JSON text, so the same value posted twice with other whitespace compares equal.</summary>
    static string? Normalize(JsonElement? element) =>
        element is { } value && value.ValueKind != JsonValueKind.Undefined ? JsonSerializer.Serialize(value) : null;

    /// <summary>True when the stored outcome equals the one offered (a repeat, not a conflict); key order does not matter.</summary>
    public static bool IsSame(TargetResult row, bool ok, JsonElement? response, string? exception) =>
        row.Ok == ok
        && JsonElement.DeepEquals(
            JsonDocument.Parse(row.ResponseJson ?? "null").RootElement,
            JsonDocument.Parse(Normalize(response) ?? "null").RootElement)
        && (ok || row.Exception == (exception ?? row.Exception));
}
