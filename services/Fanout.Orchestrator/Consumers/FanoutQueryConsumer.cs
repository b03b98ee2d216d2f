using System.Text.Json;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Queries;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Answers status and list queries over the bus from the saga store, so the gateway and the CLI never open the
/// database. Reads only; WAL lets them run beside the writer. A status answer holds one page of targets
/// (<c>targets_offset</c>, <c>targets_limit</c> up to <c>MaxStatusPage</c>) and says where the next page starts.
/// </summary>
public sealed class FanoutQueryConsumer(FanoutDbContext dbContext, OrchestratorSettings settings, TimeProvider time)
    : IConsumer<GetFanoutStatus>, IConsumer<ListFanouts>, IConsumer<GetFanoutOverview>
{
    public async Task Consume(ConsumeContext<GetFanoutStatus> context)
    {
        var saga = await dbContext.Fanouts.AsNoTracking()
            .SingleOrDefaultAsync(f => f.Cid == context.Message.Cid, context.CancellationToken).ConfigureAwait(false);
        if (saga is null)
        {
            await context.RespondAsync(new FanoutNotFound { Cid = context.Message.Cid }).ConfigureAwait(false);
            return;
        }

        // Ordinals are dense (0..n-1), so a page is an index range, however deep it starts.
        var offset = Math.Max(0, context.Message.TargetsOffset);
        var limit = Math.Clamp(
            context.Message.TargetsLimit ?? settings.MaxStatusPage, 1, Math.Max(1, settings.MaxStatusPage));
        var rows = await dbContext.TargetResults.AsNoTracking()
            .Where(r => r.CorrelationId == saga.CorrelationId && r.Ordinal >= offset && r.Ordinal < offset + limit)
            .OrderBy(r => r.Ordinal)
            .ToListAsync(context.CancellationToken).ConfigureAwait(false);
        var summary = FanoutSummaries.From(saga);
        await context.RespondAsync(new FanoutStatus
        {
            Cid = summary.Cid, Mode = summary.Mode, State = summary.State, Source = summary.Source,
            RequestedAtUtc = summary.RequestedAtUtc, DeadlineUtc = summary.DeadlineUtc,
            FinishedAtUtc = summary.FinishedAtUtc,
            TargetCount = summary.TargetCount, FinishedCount = summary.FinishedCount, FailedCount = summary.FailedCount,
            MaxConcurrency = summary.MaxConcurrency, FailFast = summary.FailFast, Quorum = summary.Quorum,
            OnTarget = summary.OnTarget, OnFinal = summary.OnFinal, FinalCallbacks = summary.FinalCallbacks,
            Warnings = summary.Warnings,
            Targets = rows.ToDictionary(r => r.Target, r => new TargetStatus
            {
                Status = r.Status,
                Service = r.Service,
                Attempts = r.Attempts,
                InvokedAtUtc = r.InvokedAtUtc,
                Request = JsonDocument.Parse(r.RequestJson).RootElement.Clone(),
                Result = r.Finished ? ResultPayloads.From(saga, r, time.GetUtcNow().UtcDateTime) : null,
            }),
            TargetsOffset = offset,
            NextTargetsOffset = offset + limit < saga.TargetCount ? offset + limit : null,
        }).ConfigureAwait(false);
    }

    public async Task Consume(ConsumeContext<ListFanouts> context) =>
        await context.RespondAsync(await RunListFilters.ReadPageAsync(dbContext, context.Message,
            context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async Task Consume(ConsumeContext<GetFanoutOverview> context)
    {
        var overview = await RunOverviews.ReadAsync(dbContext, context.Message.Minutes,
            time.GetUtcNow().UtcDateTime, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(overview).ConfigureAwait(false);
    }
}
