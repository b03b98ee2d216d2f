using System.Text.Json;
using Fanout.Bus.Authoring;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Hosting.Calls;

/// <summary>
/// Runs one call: the handler, tried again after an exception as the call's <see cref="RetryPolicy"/> allows, waiting
/// <see cref="RetryDelays"/> in between. Retries happen in this process while the delivery stays unacknowledged:
/// if the process dies mid-retry the chunk is redelivered and the call's attempts start over.
/// </summary>
public sealed class CallRunner(
    IFanoutService service,
    SemaphoreSlim slots,
    ServiceCalls counters,
    Func<CallInvocation, int, ServiceContext> contextFor,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>The last attempt's result; null when the handler deferred (the result is posted later).</summary>
    public async Task<CallResult?> RunAsync(CallInvocation call, DateTime requestedAtUtc, CancellationToken token)
    {
        var attempts = Math.Max(1, call.Retry?.Attempts ?? 1);
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(RetryDelays.Before(attempt, call.Retry!), token).ConfigureAwait(false);
            var context = contextFor(call, attempt);
            // The slot is held only while the handler runs, not while waiting to retry.
            await slots.WaitAsync(token).ConfigureAwait(false);
            counters.Started();
            try
            {
                var response = await service.InvokeAsync(call.Request, context).ConfigureAwait(false);
                counters.Finished(ok: true);
                return context.IsDeferred ? null : Result(call, requestedAtUtc, attempt, response, exception: null);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                logger.LogInformation(
                    "Target {Target} of {Cid} raised {ExceptionType} (attempt {Attempt} of {Attempts})",
                    call.Key, context.Cid, ex.GetType().Name, attempt, attempts);
                // A request that does not bind fails the same way every time.
                if (attempt >= attempts || ex is RequestShapeException)
                {
                    counters.Finished(ok: false);
                    return Result(call, requestedAtUtc, attempt, response: null, ex.ToString());
                }
            }
            finally
            {
                counters.Stopped();
                slots.Release();
            }
        }
    }

    CallResult Result(CallInvocation call, DateTime requestedAtUtc, int attempt, JsonElement? response,
        string? exception) => new()
    {
        Key = call.Key,
        Ok = exception is null,
        Response = response,
        Exception = exception,
        RequestedAtUtc = requestedAtUtc,
        RespondedAtUtc = time.GetUtcNow().UtcDateTime,
        Attempts = attempt,
    };
}
