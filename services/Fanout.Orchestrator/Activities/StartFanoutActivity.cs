using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.StateMachines;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>Stores a new fan-out with one row per target and queues one invocation per target.</summary>
public sealed class StartFanoutActivity(FanoutDbContext dbContext, OutboxSession outbox, ILogger<StartFanoutActivity> logger)
    : FanoutActivity<InvokeFanout>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, InvokeFanout> context)
    {
        var message = context.Message;
        var saga = context.Saga;
        var now = DateTime.UtcNow;
        saga.Cid = FanoutStateMachine.EffectiveCid(context);
        saga.Mode = message.Mode;
        saga.Source = string.IsNullOrEmpty(message.Source) ? "unknown" : message.Source;
        saga.RequestedAtUtc = message.RequestedAtUtc?.ToUniversalTime() ?? now;
        saga.OnTarget = message.OnTarget.ToList();
        saga.OnFinal = message.OnFinal.ToList();
        saga.TargetCount = message.Targets.Count;
        saga.InvokeMessageId = context.MessageId;

        var channel = message.Mode == InvocationMode.Parallel ? Channels.ParallelExecCall : Channels.FanoutCall;
        foreach (var (target, request) in message.Targets)
        {
            dbContext.TargetResults.Add(new TargetResult
            {
                CorrelationId = saga.CorrelationId,
                Target = target,
                RequestJson = request.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "null" : request.GetRawText(),
                InvokedAtUtc = now,
            });
            outbox.Send(new InvokeTarget
            {
                Cid = saga.Cid,
                Source = saga.Source,
                Target = target,
                Channel = channel,
                Request = request.ValueKind == System.Text.Json.JsonValueKind.Undefined ? null : request,
                RequestedAtUtc = saga.RequestedAtUtc,
            }, saga.Cid, queue: target);
        }

        logger.LogInformation("Fan-out {Cid} ({Mode}) started by {Source} with {TargetCount} targets",
            saga.Cid, saga.Mode, saga.Source, saga.TargetCount);
        await context.RespondAsync(new FanoutAccepted { Cid = saga.Cid, Mode = saga.Mode, TargetCount = saga.TargetCount })
            .ConfigureAwait(false);
    }
}
