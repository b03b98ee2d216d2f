using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Poison;

/// <summary>
/// First filter of every endpoint's error pipe: the reason header and log line, before MassTransit moves the message.
/// </summary>
sealed class ErrorReasonFilter(ILogger logger) : IFilter<ExceptionReceiveContext>
{
    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        ErrorQueue.Describe(context, logger);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("errorReason");
}
