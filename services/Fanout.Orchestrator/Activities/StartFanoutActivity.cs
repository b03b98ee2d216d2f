using System.Text.Json;
using Fanout.Bus.Requests;
using Fanout.Bus.Telemetry;
using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Targets;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Stores a new run with one row per target or call (<see cref="RunCalls.Expand"/>) and its deadline, and queues the
/// first invocations: all of them, or the first <c>max_concurrency</c>. Rows go in with one prepared command
/// (<see cref="TargetRowWriter"/>), invocations as chunks (<see cref="TargetInvoker"/>).
/// </summary>
public sealed class StartFanoutActivity(TargetRowWriter rows, TargetInvoker invoker, OrchestratorSettings settings,
    TimeProvider time, ILogger<StartFanoutActivity> logger) : FanoutActivity<InvokeFanout>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, InvokeFanout> context)
    {
        var message = context.Message;
        var saga = context.Saga;
        var now = time.GetUtcNow().UtcDateTime;
        saga.Cid = RunCid.Of(context);
        saga.Mode = message.Mode;
        saga.Source = string.IsNullOrEmpty(message.Source) ? "unknown" : message.Source;
        saga.RequestedAtUtc = message.RequestedAtUtc?.ToUniversalTime() ?? now;
        saga.DeadlineUtc = now
            + (message.DeadlineMs is { } ms ? TimeSpan.FromMilliseconds(ms) : settings.DefaultDeadline);
        saga.MaxConcurrency = message.MaxConcurrency;
        saga.FailFast = message.FailFast;
        saga.Quorum = message.Quorum;
        saga.HasCalls = message.Calls is { Count: > 0 };
        saga.OnTarget = message.OnTarget.ToList();
        saga.OnFinal = message.OnFinal.ToList();
        saga.TargetCount = RunCalls.Count(message);
        saga.InvokeMessageId = context.MessageId;

        var planned = RunCalls.Expand(message).Select((call, ordinal) => new Invocation(new TargetResult
        {
            CorrelationId = saga.CorrelationId,
            Target = call.Key,
            Service = call.Service,
            Ordinal = ordinal,
            RequestJson = call.Request is { ValueKind: not JsonValueKind.Undefined } request
                ? request.GetRawText()
                : "null",
            RetryJson = call.Retry is null ? null : JsonSerializer.Serialize(call.Retry),
            Status = TargetStates.Pending,
        }, call.Request is { ValueKind: not JsonValueKind.Undefined } body ? body : null, call.Retry)).ToList();

        // Marks the first ones processing before they are stored, so one insert writes each row once.
        invoker.Invoke(saga, planned.Take(saga.MaxConcurrency ?? planned.Count).ToList());
        await rows.InsertAsync(planned.Select(p => p.Row).ToList(), context.CancellationToken).ConfigureAwait(false);

        FanoutMetrics.RunsStarted.Add(1);
        logger.LogInformation(
            "Fan-out {Cid} ({Mode}) started by {Source} with {TargetCount} targets, deadline {Deadline:O}",
            saga.Cid, saga.Mode, saga.Source, saga.TargetCount, saga.DeadlineUtc);
        await context.RespondAsync(new FanoutAccepted
            {
                Cid = saga.Cid, Mode = saga.Mode, TargetCount = saga.TargetCount, Warnings = saga.Warnings,
            })
            .ConfigureAwait(false);
    }
}
