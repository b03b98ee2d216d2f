using System.Text.Json;
using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Security;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Targets;

/// <summary>One row to invoke with its request and retry policy in hand (not re-read from the row's JSON).</summary>
public sealed record Invocation(TargetResult Row, JsonElement? Request, RetryPolicy? Retry);

/// <summary>
/// Emits invocations from the saga (<see cref="FanoutSaga.Send"/>) as <see cref="InvokeCalls"/> chunks: consecutive
/// calls to one service, in request order, at most <c>CallsPerMessage</c> per message. Keeps <c>max_concurrency</c>:
/// pending targets start as others finish.
/// </summary>
public sealed class TargetInvoker(
    FanoutDbContext dbContext, CompletionTokenKey key, OrchestratorSettings settings,
    SagaWriteTransaction writeTransaction, TimeProvider time)
{
    /// <summary>Marks the rows invoked (in memory; the caller stores them) and queues their chunks.</summary>
    public void Invoke(FanoutSaga saga, IReadOnlyList<Invocation> invocations)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var invocation in invocations)
        {
            invocation.Row.Status = TargetStates.Processing;
            invocation.Row.InvokedAtUtc = now;
        }

        saga.InvokedCount += invocations.Count;
        foreach (var chunk in Chunks(invocations, Math.Max(1, settings.CallsPerMessage)))
            Send(saga, chunk);
    }

    /// <summary>
    /// Invokes pending targets, in request order, while fewer than <c>max_concurrency</c> are in flight.
    /// </summary>
    public async Task InvokePendingAsync(FanoutSaga saga, CancellationToken cancellationToken)
    {
        if (saga.MaxConcurrency is not { } max || saga.InvokedCount >= saga.TargetCount
            || saga.FinishedCount >= saga.TargetCount)
            return;
        var free = max - (saga.InvokedCount - saga.FinishedCount);
        if (free <= 0)
            return;
        await writeTransaction.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var next = await dbContext.TargetResults.AsNoTracking()
            .Where(r => r.CorrelationId == saga.CorrelationId && r.Status == TargetStates.Pending)
            .OrderBy(r => r.Ordinal)
            .Take(free)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (next.Count == 0)
            return;

        Invoke(saga, next.Select(row => new Invocation(row, Parse(row.RequestJson),
            row.RetryJson is null ? null : JsonSerializer.Deserialize<RetryPolicy>(row.RetryJson))).ToList());
        // Pending rows are invoked in ordinal order, so the ones just invoked are one ordinal range.
        var (first, last, invokedAt) = (next[0].Ordinal, next[^1].Ordinal, next[0].InvokedAtUtc);
        await dbContext.TargetResults
            .Where(r => r.CorrelationId == saga.CorrelationId && r.Status == TargetStates.Pending
                && r.Ordinal >= first && r.Ordinal <= last)
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, TargetStates.Processing).SetProperty(r => r.InvokedAtUtc, invokedAt),
                cancellationToken).ConfigureAwait(false);
    }

    void Send(FanoutSaga saga, IReadOnlyList<Invocation> chunk)
    {
        var service = chunk[0].Row.Service;
        var gateway = $"{settings.GatewayUrl.TrimEnd('/')}/v1/fanouts/{Uri.EscapeDataString(saga.Cid)}/targets/";
        saga.Send(new InvokeCalls
        {
            Cid = saga.Cid,
            Source = saga.Source,
            Service = service,
            Channel = saga.Mode == InvocationMode.Parallel ? Channels.ParallelExecCall : Channels.FanoutCall,
            RequestedAtUtc = saga.RequestedAtUtc,
            Calls = chunk.Select(i => new CallInvocation
            {
                Key = i.Row.Target,
                Request = i.Request,
                CompletionToken = key.Tokens.For(saga.Cid, i.Row.Target),
                CallbackUrl = $"{gateway}{Uri.EscapeDataString(i.Row.Target)}/result",
                Retry = i.Retry,
            }).ToList(),
        }, queue: service);
    }

    /// <summary>Runs of consecutive invocations to one service, each at most <paramref name="size"/> long.</summary>
    static IEnumerable<IReadOnlyList<Invocation>> Chunks(IReadOnlyList<Invocation> invocations, int size)
    {
        var chunk = new List<Invocation>();
        foreach (var invocation in invocations)
        {
            if (chunk.Count == size || (chunk.Count > 0 && chunk[0].Row.Service != invocation.Row.Service))
            {
                yield return chunk;
                chunk = [];
            }

            chunk.Add(invocation);
        }

        if (chunk.Count > 0)
            yield return chunk;
    }

    static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
