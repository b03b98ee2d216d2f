using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Security;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Targets;

/// <summary>Queues invocations through the outbox and keeps <c>max_concurrency</c>: pending targets start as others finish.</summary>
public sealed class TargetInvoker(FanoutDbContext dbContext, OutboxSession outbox, CompletionTokenKey key, OrchestratorSettings settings)
{
    public void Invoke(FanoutSaga saga, TargetResult row)
    {
        var channel = saga.Mode == InvocationMode.Parallel ? Channels.ParallelExecCall : Channels.FanoutCall;
        row.Status = TargetStates.Processing;
        row.InvokedAtUtc = DateTime.UtcNow;
        saga.InvokedCount++;
        outbox.Send(new InvokeTarget
        {
            Cid = saga.Cid,
            Source = saga.Source,
            Target = row.Target,
            Channel = channel,
            Request = System.Text.Json.JsonDocument.Parse(row.RequestJson).RootElement.Clone(),
            RequestedAtUtc = saga.RequestedAtUtc,
            CompletionToken = key.Tokens.For(saga.Cid, row.Target),
            CallbackUrl = $"{settings.GatewayUrl.TrimEnd('/')}/v1/fanouts/{Uri.EscapeDataString(saga.Cid)}/targets/{Uri.EscapeDataString(row.Target)}/result",
        }, saga.Cid, queue: row.Target);
    }

    /// <summary>Invokes pending targets, in request order, while fewer than <c>max_concurrency</c> are in flight.</summary>
    public async Task InvokePendingAsync(FanoutSaga saga, CancellationToken cancellationToken)
    {
        if (saga.MaxConcurrency is not { } max || saga.InvokedCount >= saga.TargetCount)
            return;
        var free = max - (saga.InvokedCount - saga.FinishedCount);
        if (free <= 0)
            return;
        var next = await dbContext.TargetResults.AsTracking()
            .Where(r => r.CorrelationId == saga.CorrelationId && r.Status == TargetStates.Pending)
            .OrderBy(r => r.Ordinal)
            .Take(free)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in next)
            Invoke(saga, row);
    }
}
