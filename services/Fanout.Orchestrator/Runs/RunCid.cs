using Fanout.Contracts;
using MassTransit;

namespace Fanout.Orchestrator.Runs;

public static class RunCid
{
    /// <summary>
    /// The CID a request runs under: the caller's, else one derived from the message id (stable across redelivery).
    /// </summary>
    public static string Of(ConsumeContext<InvokeFanout> context) => Of(context.Message, context.MessageId);

    /// <inheritdoc cref="Of(ConsumeContext{InvokeFanout})"/>
    public static string Of(InvokeFanout request, Guid? messageId) =>
        string.IsNullOrEmpty(request.Cid)
            ? (messageId ?? NewId.NextGuid()).ToString("N")
            : request.Cid;
}
