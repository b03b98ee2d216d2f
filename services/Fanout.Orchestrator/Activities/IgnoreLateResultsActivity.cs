using Fanout.Contracts;
using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>Results for a fan-out that already completed change nothing; they are logged.</summary>
public sealed class IgnoreLateResultsActivity(ILogger<IgnoreLateResultsActivity> logger)
    : FanoutActivity<RecordTargetResults>
{
    protected override Task ExecuteAsync(BehaviorContext<FanoutSaga, RecordTargetResults> context)
    {
        logger.LogInformation("{Count} results for completed fan-out {Cid} ignored ({Targets})",
            context.Message.Results.Count, context.Saga.Cid,
            string.Join(", ", context.Message.Results.Select(r => r.Target).Take(10)));
        return Task.CompletedTask;
    }
}
