using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Answers an invalid request with every problem found (or, with nobody to answer, faults it into the _error queue);
/// nothing is stored.
/// </summary>
public sealed class RejectInvalidRequestActivity(ILogger<RejectInvalidRequestActivity> logger)
    : FanoutActivity<InvokeFanout>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, InvokeFanout> context)
    {
        var reason = string.Join("; ", FanoutRequestValidator.Problems(context.Message));
        await InvalidRequestAnswer.SendAsync(context, RunCid.Of(context), reason, logger).ConfigureAwait(false);
    }
}
