using Fanout.Contracts;
using MassTransit;

namespace Fanout.Orchestrator.Runs;

public static class RunCid
{
    /// <summary>
    /// The CID a request runs under: the caller's, else one derived from the message id (stable across redelivery).
    /// </summary>
    public static string Of(ConsumeContext<InvokeFanout> context) =>
        string.IsNullOrEmpty(context.Message.Cid)
            ? (context.MessageId ?? NewId.NextGuid()).ToString("N")
            : context.Message.Cid;
}
