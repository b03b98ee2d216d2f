using System.Diagnostics;
using System.Text.Json;
using Fanout.Bus.Authoring;
using Fanout.Bus.Hosting.Calls;
using Fanout.Bus.Logging;
using Fanout.Bus.Patterns;
using Fanout.Bus.Telemetry;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Hosting;

/// <summary>
/// Runs one user service for every message on its queue: chunks of calls (answered in
/// <see cref="CallsCompletedForRuns"/> batches) and the callbacks it is named in. A target's exception is its result; a
/// callback's exception faults the message.
/// </summary>
public sealed class ServiceConsumer<TService>(
    TService service,
    PatternsFactory patterns,
    RecentMessages recent,
    CallSlots slots,
    CallCounters counters,
    ResultSender results,
    TimeProvider time,
    ILogger<ServiceConsumer<TService>> logger) :
    IConsumer<InvokeCalls>, IConsumer<InvokeCallsForRuns>, IConsumer<TargetCallbackRequested>,
    IConsumer<FinalCallbackRequested>
    where TService : class, IFanoutService
{
    // One service class may serve several names; the queue a message arrived on is the name it was called by.
    string Name { get; set; } = "";

    static string QueueName(ConsumeContext context) => context.ReceiveContext.InputAddress.AbsolutePath.Split('/')[^1];

    public Task Consume(ConsumeContext<InvokeCalls> context)
    {
        Name = QueueName(context);
        return RunCallsAsync(context.Message, context);
    }

    /// <summary>
    /// The chunks of several runs to this service, each run as if it had come alone, all at once. Acknowledged once
    /// every chunk's results were published; a redelivery runs only the chunks not done (each has its own id).
    /// </summary>
    public async Task Consume(ConsumeContext<InvokeCallsForRuns> context)
    {
        Name = QueueName(context);
        if (context.Message.Service != Name)
            return;
        await Task.WhenAll(context.Message.Runs.Select(run => RunCallsAsync(run, context))).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the chunk's calls concurrently (bounded per service by <see cref="CallSlots"/>) and hands each result to
    /// the service's <see cref="ResultSender"/> as it finishes (batched with other chunks' and runs' results). Returns,
    /// and so acknowledges the delivery, only after every result was confirmed by the broker: a crash before that
    /// redelivers the chunk, and keys reported twice are deduplicated by the orchestrator.
    /// A chunk is run once per id: its own in a batch, else the message's.
    /// </summary>
    async Task RunCallsAsync(InvokeCalls message, ConsumeContext context)
    {
        var id = message.Id ?? context.MessageId;
        if (message.Service != Name || !recent.TryStart(Name, id))
            return;

        SpanTags.AddTargets(Activity.Current, message.Cid, message.Calls.Select(c => c.Key));
        var handled = false;
        try
        {
            var token = context.CancellationToken;
            var runner = Runner(message.Cid, message.Source, message.Channel, message.RequestedAtUtc, token);
            await Task.WhenAll(message.Calls.Select(async call =>
            {
                using var scope = logger.BeginScope(LogFields.Of(("target", call.Key)));
                if (await runner.RunAsync(call, message.RequestedAtUtc, token).ConfigureAwait(false) is { } result)
                    await results.SendAsync(message.Cid, Name, result).WaitAsync(token).ConfigureAwait(false);
            })).ConfigureAwait(false);
            handled = true;
        }
        finally
        {
            recent.Finish(Name, id, handled);
        }
    }

    public Task Consume(ConsumeContext<TargetCallbackRequested> context)
    {
        Name = QueueName(context);
        var message = context.Message;
        return RunCallback(context, message.Callback, message.Payload.Cid, message.Payload.Source, message.Channel,
            message.Payload.RequestedAtUtc, JsonSerializer.SerializeToElement(message.Payload));
    }

    public Task Consume(ConsumeContext<FinalCallbackRequested> context)
    {
        Name = QueueName(context);
        var message = context.Message;
        return RunCallback(context, message.Callback, message.Cid, message.Payload.Source, message.Channel,
            message.Payload.RequestedAtUtc, JsonSerializer.SerializeToElement(message.Payload));
    }

    async Task RunCallback(ConsumeContext context, string callback, string cid, string source, string channel,
        DateTime requestedAtUtc, JsonElement payload)
    {
        // On RabbitMQ the topic binding delivers only this service's callbacks; the in-memory transport
        // delivers every callback to every service queue, so the name check stands in for routing there.
        if (callback != Name || recent.WasHandled(Name, context.MessageId))
            return;

        if (CallbackRoles.ExpectedChannels(typeof(TService)) is { } expected && !expected.Contains(channel))
            throw Misuse(callback, channel, string.Join(" or ", expected));
        var calls = counters.For(Name);
        calls.Started();
        var ok = false;
        try
        {
            await service
                .InvokeAsync(payload, CreateContext(cid, source, channel, requestedAtUtc, context.CancellationToken))
                .ConfigureAwait(false);
            ok = true;
        }
        catch (RequestShapeException ex)
        {
            throw Misuse(callback, channel, $"a payload that binds to {ex.RequestType.Name}", ex);
        }
        finally
        {
            calls.Stopped();
            calls.Finished(ok);
        }
        recent.MarkHandled(Name, context.MessageId);
    }

    /// <summary>
    /// Not retried; the endpoint's error pipe logs it once and moves the message to the _error queue with it as the
    /// reason.
    /// </summary>
    static CallbackMisuseException Misuse(string callback, string channel, string expected, Exception? inner = null) =>
        new(callback, typeof(TService), channel, expected, inner);

    CallRunner Runner(string cid, string source, string channel, DateTime requestedAtUtc, CancellationToken token) =>
        new(service, slots.For(Name), counters.For(Name),
            (call, attempt) => CreateContext(cid, source, channel, requestedAtUtc, token, call, attempt), time, logger);

    ServiceContext CreateContext(string cid, string source, string channel, DateTime requestedAtUtc,
        CancellationToken token, CallInvocation? call = null, int attempt = 1) => new()
    {
        Key = call?.Key,
        Attempt = attempt,
        CompletionToken = call?.CompletionToken,
        CallbackUrl = call?.CallbackUrl,
        ServiceName = Name,
        Cid = cid,
        Source = source,
        Channel = channel,
        RequestedAtUtc = requestedAtUtc,
        Patterns = patterns.ForSource(Name),
        CancellationToken = token,
    };
}
