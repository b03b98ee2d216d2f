using Fanout.Bus.Resilience;
using Fanout.Contracts;
using Fanout.Orchestrator.Messages;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Gathers completions of one CID into a single <see cref="RecordTargetResults"/>, so the saga writes once per
/// batch instead of once per target. The batch is acknowledged only after the forward was confirmed; a crash in
/// between redelivers it and the saga drops the repeats by target name.
/// </summary>
public sealed class TargetCompletedBatchConsumer(BoundedPublish bounded) : IConsumer<Batch<TargetCompleted>>
{
    public async Task Consume(ConsumeContext<Batch<TargetCompleted>> context)
    {
        foreach (var group in context.Message.Select(m => m.Message).GroupBy(m => m.Cid))
            await bounded.RunAsync(
                token => context.Publish(
                    new RecordTargetResults { Cid = group.Key, Results = group.ToList() }, token),
                context.CancellationToken).ConfigureAwait(false);
    }
}
