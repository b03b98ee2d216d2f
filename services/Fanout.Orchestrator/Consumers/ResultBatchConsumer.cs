using Fanout.Contracts;
using Fanout.Orchestrator.FanIn;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Service hosts' result batches on the results queue (<see cref="OrchestratorQueues.Results"/>), which one
/// orchestrator consumes at a time: every run's results applied here, in process, as <see
/// cref="CallsCompletedConsumer"/> applies what arrives on the completions queue. Acknowledged only after every run's
/// commit.
/// </summary>
public sealed class ResultBatchConsumer(ResultsFanIn fanIn) : IConsumer<CallsCompletedForRuns>
{
    public Task Consume(ConsumeContext<CallsCompletedForRuns> context) =>
        fanIn.ApplyAsync(CallsCompletedConsumer.PerRun(context.Message.Runs), context.CancellationToken);
}
