using Fanout.Contracts;
using Fanout.Orchestrator.FanIn;
using Fanout.Orchestrator.Messages;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Gathers the completions of one CID that were delivered together into one saga write, applied in process
/// (<see cref="ResultsFanIn"/>). The batch is acknowledged only after the run's commit; a crash in between redelivers
/// it and the saga drops the repeats by target name.
/// </summary>
public sealed class TargetCompletedBatchConsumer(ResultsFanIn fanIn) : IConsumer<Batch<TargetCompleted>>
{
    public Task Consume(ConsumeContext<Batch<TargetCompleted>> context) =>
        fanIn.ApplyAsync(context.Message.Select(m => m.Message).GroupBy(m => m.Cid, StringComparer.Ordinal)
            .Select(run => new RecordTargetResults { Cid = run.Key, Results = run.ToList() }).ToList(),
            context.CancellationToken);
}
