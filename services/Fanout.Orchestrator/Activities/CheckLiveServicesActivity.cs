using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Orchestrator.LiveServices;
using Fanout.Orchestrator.Runs;
using MassTransit;

namespace Fanout.Orchestrator.Activities;

/// <summary>
/// Notes on the new run every service and callback it names that no live host serves (<see cref="ServiceDirectory"/>):
/// without a host such a run would wait silently until its deadline, and a callback's messages would go nowhere.
/// </summary>
public sealed class CheckLiveServicesActivity(ServiceDirectory directory) : FanoutActivity<InvokeFanout>
{
    protected override async Task ExecuteAsync(BehaviorContext<FanoutSaga, InvokeFanout> context)
    {
        var message = context.Message;
        var named = RunCalls.Expand(message).Select(c => c.Service).Concat(message.OnTarget).Concat(message.OnFinal);
        var missing = await directory.MissingAsync(named, context.CancellationToken).ConfigureAwait(false);
        context.Saga.Warnings = missing.Count == 0 ? null : missing.Select(ServiceWarnings.NoLiveHost).ToList();
    }

    /// <summary>True when the request asked for live services only and one has no live host.</summary>
    public static bool Refuses(BehaviorContext<FanoutSaga, InvokeFanout> context) =>
        context.Message.RequireLiveServices == true && context.Saga.Warnings is { Count: > 0 };
}
