using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Poison;

/// <summary>
/// Applied to every receive endpoint of a host: a message that faults (after its retries, if the fault is worth
/// retrying) or that nothing consumes goes to the queue's <c>_error</c> queue with a <see cref="PoisonReasons.Header"/>
/// header and one log line naming queue, message id and reason; the endpoint goes on consuming.
/// </summary>
sealed class PoisonMessages(ILoggerFactory loggers) : IEndpointConfigurationObserver
{
    readonly ILogger _logger = loggers.CreateLogger("Fanout.Bus.ErrorQueue");

    public void EndpointConfigured<T>(T configurator) where T : IReceiveEndpointConfigurator
    {
        // The bus's own reply queue and other temporary endpoints keep MassTransit's discard-on-fault: a late reply is
        // not poison, and an _error queue beside a queue that vanishes with its process would outlive it.
        if (IsTemporary(configurator.InputAddress))
            return;
        configurator.ConfigureError(e =>
        {
            e.UseFilter(new ErrorReasonFilter(_logger));
            // What MassTransit's error pipe does by default: publish the fault, move the message to <queue>_error.
            e.UseFilter(new GenerateFaultFilter());
            e.UseFilter(new ErrorTransportFilter());
        });
        configurator.ConfigureDeadLetter(d => d.UseFilter(new NotConsumedToErrorFilter(_logger)));
    }

    /// <summary>
    /// A temporary, auto-deleted or non-durable queue, as MassTransit writes it in the endpoint's address.
    /// </summary>
    internal static bool IsTemporary(Uri address) =>
        address.Query.TrimStart('?').Split('&') is var options
        && (options.Contains("temporary=true") || options.Contains("autodelete=true")
            || options.Contains("durable=false"));
}
