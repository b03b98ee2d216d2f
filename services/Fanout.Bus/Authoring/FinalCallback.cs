using Fanout.Contracts;

namespace Fanout.Bus.Authoring;

/// <summary>A callback invoked once after every target of a fan-out finished (channel FANOUT_ON_FINAL).</summary>
public abstract class FinalCallback : FanoutService<FinalPayload, object?>
{
    protected abstract Task OnFinalAsync(FinalPayload payload, ServiceContext context);

    public sealed override async Task<object?> HandleAsync(FinalPayload request, ServiceContext context)
    {
        await OnFinalAsync(request, context).ConfigureAwait(false);
        return null;
    }
}
