using Fanout.Contracts;
using Fanout.Orchestrator.Runs;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Accepts <see cref="InvokeFanout"/> as plain JSON (no MassTransit envelope) on its own queue and forwards it to
/// the saga. Kept apart from the saga's queue because a raw JSON body carries no message type.
/// </summary>
public sealed class InvokeFanoutIntakeConsumer : IConsumer<InvokeFanout>
{
    public async Task Consume(ConsumeContext<InvokeFanout> context)
    {
        var request = context.Message with
        {
            Cid = RunCid.Of(context),
            Mode = string.IsNullOrEmpty(context.Message.Mode) ? InvocationMode.Fanout : context.Message.Mode,
            Targets = context.Message.Targets ?? [],
            OnFinal = context.Message.OnFinal ?? [],
            OnTarget = context.Message.OnTarget ?? [],
            RequestedAtUtc = context.Message.RequestedAtUtc ?? DateTime.UtcNow,
        };
        var saga = await context.GetSendEndpoint(new Uri($"queue:{OrchestratorQueues.Saga}")).ConfigureAwait(false);
        await saga.Send(request, send =>
        {
            if (context.MessageId is { } id)
                send.MessageId = id;
            send.ResponseAddress = context.ResponseAddress;
            send.RequestId = context.RequestId;
        }).ConfigureAwait(false);
    }
}
