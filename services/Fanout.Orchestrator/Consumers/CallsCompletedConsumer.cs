using Fanout.Contracts;
using Fanout.Orchestrator.FanIn;
using Fanout.Orchestrator.Messages;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Result batches on the completions queue (<see cref="CallsCompletedForRuns"/>, many runs each, as service hosts of
/// the previous version published them; <see cref="CallsCompleted"/>, one run) applied here, in process, to every
/// run's saga (<see cref="ResultsFanIn"/>): no timer and no second trip through the broker. Acknowledged only after
/// every run's commit; a redelivery's keys are dropped by the saga. This version's service hosts send their batches
/// to the results queue instead (<see cref="ResultBatchConsumer"/>).
/// </summary>
public sealed class CallsCompletedConsumer(ResultsFanIn fanIn) :
    IConsumer<CallsCompletedForRuns>, IConsumer<CallsCompleted>
{
    public Task Consume(ConsumeContext<CallsCompletedForRuns> context) =>
        fanIn.ApplyAsync(PerRun(context.Message.Runs), context.CancellationToken);

    public Task Consume(ConsumeContext<CallsCompleted> context) =>
        fanIn.ApplyAsync(PerRun([context.Message]), context.CancellationToken);

    /// <summary>One entry per CID, with each call's service and attempts.</summary>
    internal static List<RecordTargetResults> PerRun(IEnumerable<CallsCompleted> batches) =>
        batches.GroupBy(b => b.Cid, StringComparer.Ordinal).Select(run => new RecordTargetResults
        {
            Cid = run.Key,
            Results = run.SelectMany(batch => batch.Results.Select(result => new TargetCompleted
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
        }).ToList();
}
