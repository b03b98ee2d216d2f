using Fanout.Contracts;

namespace Fanout.Bus.Authoring;

/// <summary>
/// A callback invoked after each target finished, ok or not. <see cref="ServiceContext.Channel"/> is
/// PARALLEL_EXEC_ON_TARGET or FANOUT_ON_TARGET.
/// </summary>
public abstract class TargetCallback : FanoutService<TargetResultPayload, object?>
{
    protected abstract Task OnTargetAsync(TargetResultPayload payload, ServiceContext context);

    public sealed override async Task<object?> HandleAsync(TargetResultPayload request, ServiceContext context)
    {
        await OnTargetAsync(request, context).ConfigureAwait(false);
        return null;
    }
}
