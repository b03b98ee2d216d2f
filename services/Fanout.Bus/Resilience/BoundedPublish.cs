using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Resilience;

/// <summary>
/// Runs one publish or send with a time limit and retries: with publisher confirms, RabbitMQ.Client 7.2 can wait
/// forever for a confirm on a channel that a broker restart closed, or throw ObjectDisposedException for it, and
/// MassTransit hands out a fresh channel only to the next try. Every publish and send of ours goes through here.
/// </summary>
public sealed class BoundedPublish(FanoutBusSettings settings, ILogger<BoundedPublish> logger)
{
    /// <summary>
    /// Runs <paramref name="publish"/> (given a token cancelled at the time limit) up to
    /// <see cref="ReconnectSettings.PublishAttempts"/> times. With <paramref name="retryUnconfirmed"/> false, a
    /// publish that timed out (and so may have left) is not sent again: for messages whose duplicate is refused rather
    /// than ignored. <paramref name="limit"/> replaces <see cref="ReconnectSettings.PublishTimeout"/> for a request
    /// that waits for a response.
    /// </summary>
    public async Task RunAsync(
        Func<CancellationToken, Task> publish,
        CancellationToken cancellationToken,
        bool retryUnconfirmed = true,
        TimeSpan? limit = null)
    {
        var timeLimit = limit ?? settings.Reconnect.PublishTimeout;
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(timeLimit);
            try
            {
                // WaitAsync as well as the token: a confirm wait that ignores cancellation still ends for us.
                await publish(timeout.Token).WaitAsync(timeLimit, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                                       && attempt < settings.Reconnect.PublishAttempts
                                       && IsRetryable(ex, retryUnconfirmed))
            {
                logger.LogWarning("Publish failed ({Reason}); try {Attempt} of {Attempts}", ex.Message, attempt + 1,
                    settings.Reconnect.PublishAttempts);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Publish not confirmed within {timeLimit.TotalSeconds:0} s", ex);
            }
        }
    }

    /// <summary>
    /// Timeouts (when allowed) and failures of a closed channel or connection, after which the message did not leave.
    /// </summary>
    internal static bool IsRetryable(Exception ex, bool retryUnconfirmed) => ex switch
    {
        TimeoutException or OperationCanceledException => retryUnconfirmed,
        ObjectDisposedException or ConnectionException => true,
        _ => ex.GetType().Namespace?.StartsWith("RabbitMQ.Client", StringComparison.Ordinal) == true
             || ex.InnerException is { } inner && IsRetryable(inner, retryUnconfirmed),
    };
}
