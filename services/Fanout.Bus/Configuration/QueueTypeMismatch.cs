using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus;

/// <summary>
/// A queue that already exists as another type (classic on the broker, <c>Fanout:RabbitMq:QueueType=quorum</c> here, or
/// the reverse) is refused by RabbitMQ with <c>PRECONDITION_FAILED - inequivalent arg 'x-queue-type'</c> on every
/// declare; MassTransit retries forever and the start (<c>WaitUntilStarted</c>) hangs. Retrying cannot fix it: this
/// observer turns the first such fault into one error line that names the queue and what to do, and ends the process
/// with exit code 1.
/// </summary>
sealed partial class QueueTypeMismatch(ILogger logger, RabbitMqQueueType configured, Action<int> exit)
    : IReceiveEndpointObserver, IEndpointConfigurationObserver
{
    public const int ExitCode = 1;
    int _reported;

    /// <summary>Watches every receive endpoint of the bus, as it is configured.</summary>
    public void EndpointConfigured<T>(T configurator) where T : IReceiveEndpointConfigurator =>
        configurator.ConnectReceiveEndpointObserver(this);

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        if (Describe(faulted.Exception, configured) is { } line && Interlocked.Exchange(ref _reported, 1) == 0)
        {
            logger.LogCritical("{QueueTypeMismatch}", line);
            // Also straight to stderr: the process ends now, before a buffered log provider would write.
            Console.Error.WriteLine(line);
            exit(ExitCode);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The line for a queue-type refusal anywhere in <paramref name="exception"/>'s chain, else null.
    /// </summary>
    public static string? Describe(Exception? exception, RabbitMqQueueType configured)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (Refusal().Match(e.Message) is not { Success: true } match)
                continue;
            var queue = match.Groups["queue"].Value;
            var vhost = match.Groups["vhost"].Value;
            var wanted = configured.ToString().ToLowerInvariant();
            var existing = configured == RabbitMqQueueType.Quorum ? "classic" : "quorum";
            return $"queue '{queue}' in vhost '{vhost}' exists as a {existing} queue, " +
                   $"but {RabbitMqQueueTypeSetting.Key}={wanted} declares {wanted} queues " +
                   "(RabbitMQ: PRECONDITION_FAILED, inequivalent arg 'x-queue-type'). " +
                   "A queue's type cannot change: drain and delete this deployment's queues " +
                   "(docs/operations.md, \"Quorum queues\"), or point " +
                   $"{FanoutBusSettings.RabbitMqVariable} at a new vhost, " +
                   $"or set {RabbitMqQueueTypeSetting.Key}={existing}.";
        }

        return null;
    }

    [GeneratedRegex(@"inequivalent arg 'x-queue-type' for queue '(?<queue>[^']+)' in vhost '(?<vhost>[^']*)'")]
    private static partial Regex Refusal();

    public Task Ready(ReceiveEndpointReady ready) => Task.CompletedTask;
    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;
    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;
}
