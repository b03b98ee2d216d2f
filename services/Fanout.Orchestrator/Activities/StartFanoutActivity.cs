using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Targets;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Stores a new run with one row per target and its deadline, and queues the first invocations: all targets, or
/// the first <c>max_concurrency</c> of them.
/// </summary>
public sealed class StartFanoutActivity(FanoutDbContext dbContext, TargetInvoker invoker, OrchestratorSettings settings,
    ILogger<StartFanoutActivity> logger) : FanoutActivity<InvokeFanout>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, InvokeFanout> context)
    {
        var message = context.Message;
        var saga = context.Saga;
        var now = DateTime.UtcNow;
        saga.Cid = RunCid.Of(context);
        saga.Mode = message.Mode;
        saga.Source = string.IsNullOrEmpty(message.Source) ? "unknown" : message.Source;
        saga.RequestedAtUtc = message.RequestedAtUtc?.ToUniversalTime() ?? now;
        saga.DeadlineUtc = now + (message.DeadlineMs is { } ms ? TimeSpan.FromMilliseconds(ms) : settings.DefaultDeadline);
        saga.MaxConcurrency = message.MaxConcurrency;
        saga.OnTarget = message.OnTarget.ToList();
        saga.OnFinal = message.OnFinal.ToList();
        saga.TargetCount = message.Targets.Count;
        saga.InvokeMessageId = context.MessageId;

        var ordinal = 0;
        foreach (var (target, request) in message.Targets)
        {
            var row = new TargetResult
            {
                CorrelationId = saga.CorrelationId,
                Target = target,
                Ordinal = ordinal++,
                RequestJson = request.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "null" : request.GetRawText(),
                Status = TargetStates.Pending,
            };
            dbContext.TargetResults.Add(row);
            if (saga.MaxConcurrency is null || saga.InvokedCount < saga.MaxConcurrency)
                invoker.Invoke(saga, row);
        }

        logger.LogInformation("Fan-out {Cid} ({Mode}) started by {Source} with {TargetCount} targets, deadline {Deadline:O}",
            saga.Cid, saga.Mode, saga.Source, saga.TargetCount, saga.DeadlineUtc);
        await context.RespondAsync(new FanoutAccepted { Cid = saga.Cid, Mode = saga.Mode, TargetCount = saga.TargetCount })
            .ConfigureAwait(false);
    }
}
