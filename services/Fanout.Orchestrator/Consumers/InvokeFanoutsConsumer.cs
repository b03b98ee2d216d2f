using System.Diagnostics;
using Fanout.Bus.Telemetry;
using Fanout.Contracts;
using Fanout.Orchestrator.Intake;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// A gateway's or C# client's batch of runs (<see cref="InvokeFanouts"/>), started here in process
/// (<see cref="RunIntake"/>) and answered with one <see cref="FanoutsAnswered"/>, one answer per run in order. Answered
/// and acknowledged only after every run's commit; a redelivered batch starts nothing twice.
/// </summary>
public sealed class InvokeFanoutsConsumer(RunIntake intake) : IConsumer<InvokeFanouts>
{
    public async Task Consume(ConsumeContext<InvokeFanouts> context)
    {
        SpanTags.AddRuns(Activity.Current, context.Message.Runs.Select(run => run.Cid).ToList());
        var answers = await intake.StartAsync(context.Message.Runs, context.MessageId ?? NewId.NextGuid(),
            context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new FanoutsAnswered { Answers = answers }).ConfigureAwait(false);
    }
}
