using Fanout.Bus.Resilience;
using Fanout.Contracts;
using Fanout.Orchestrator.Messages;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Merges the <see cref="CallsCompleted"/> batches of one CID that arrived together into one
/// <see cref="RecordTargetResults"/> (with each call's service and attempts), so the saga writes once for many
/// service batches. Acknowledged only after the forward was confirmed; a redelivery's keys are dropped by the saga.
/// </summary>
public sealed class CallsCompletedBatchConsumer(BoundedPublish bounded) : IConsumer<Batch<CallsCompleted>>
{
    public async Task Consume(ConsumeContext<Batch<CallsCompleted>> context)
    {
        foreach (var group in context.Message.Select(m => m.Message).GroupBy(m => m.Cid))
            await bounded.RunAsync(token => context.Publish(new RecordTargetResults
            {
                Cid = group.Key,
                Results = group.SelectMany(batch => batch.Results.Select(result => new TargetCompleted
                {
                    Cid = batch.Cid,
                    Target = result.Key,
                    Service = batch.Service,
                    Attempts = result.Attempts,
                    Ok = result.Ok,
                    Response = result.Response,
                    Exception = result.Exception,
                    RequestedAtUtc = result.RequestedAtUtc,
                    RespondedAtUtc = result.RespondedAtUtc,
                })).ToList(),
            }, token), context.CancellationToken).ConfigureAwait(false);
    }
}
