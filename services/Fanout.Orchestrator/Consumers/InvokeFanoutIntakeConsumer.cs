using Fanout.Bus;
using System.Text.Json;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Orchestrator.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Accepts <see cref="InvokeFanout"/> as plain JSON (no MassTransit envelope) on its own queue and forwards it to
/// the saga. Kept apart from the saga's queue because a raw JSON body carries no message type. The body goes through
/// the same parser as the gateway's, so a misspelt or unknown field is refused by name instead of silently dropped.
/// </summary>
public sealed class InvokeFanoutIntakeConsumer(
    ILogger<InvokeFanoutIntakeConsumer> logger, QueueAddresses addresses, TimeProvider time) : IConsumer<InvokeFanout>
{
    public async Task Consume(ConsumeContext<InvokeFanout> context)
    {
        var cid = RunCid.Of(context);
        using var body = JsonDocument.Parse(context.ReceiveContext.Body.GetBytes());
        var parsed = RunRequests.FromJson(body.RootElement, RunRequestShape.Message, source: "unknown", time);
        if (parsed.Problems.Count > 0)
        {
            await InvalidRequestAnswer.SendAsync(context, cid, string.Join("; ", parsed.Problems), logger)
                .ConfigureAwait(false);
            return;
        }

        var saga = await context.GetSendEndpoint(addresses.For(OrchestratorQueues.Saga)).ConfigureAwait(false);
        await saga.Send(parsed.Request with { Cid = cid }, send =>
        {
            if (context.MessageId is { } id)
                send.MessageId = id;
            send.ResponseAddress = context.ResponseAddress;
            send.RequestId = context.RequestId;
        }).ConfigureAwait(false);
    }
}
