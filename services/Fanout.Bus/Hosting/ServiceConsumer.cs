using System.Text.Json;
using Fanout.Bus.Authoring;
using Fanout.Bus.Patterns;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Hosting;

/// <summary>
/// Runs one user service for every message on its queue: target invocations (the outcome is published
/// as <see cref="TargetCompleted"/>, exceptions included) and the callbacks it is named in.
/// </summary>
public sealed class ServiceConsumer<TService>(
    TService service,
    PatternsFactory patterns,
    RecentMessages recent,
    ILogger<ServiceConsumer<TService>> logger) :
    IConsumer<InvokeTarget>, IConsumer<TargetCallbackRequested>, IConsumer<FinalCallbackRequested>
    where TService : class, IFanoutService
{
    // One service class may serve several names; the queue a message arrived on is the name it was called by.
    string Name { get; set; } = "";

    static string QueueName(ConsumeContext context) => context.ReceiveContext.InputAddress.AbsolutePath.Split('/')[^1];

    public async Task Consume(ConsumeContext<InvokeTarget> context)
    {
        Name = QueueName(context);
        var message = context.Message;
        if (message.Target != Name || recent.WasHandled(Name, context.MessageId))
            return;

        JsonElement? response = null;
        string? exception = null;
        var serviceContext = CreateContext(message.Cid, message.Source, message.Channel, message.RequestedAtUtc,
            context.CancellationToken, message.CompletionToken, message.CallbackUrl);
        try
        {
            response = await service.InvokeAsync(message.Request, serviceContext).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            exception = ex.ToString();
            logger.LogInformation("Target {Target} of {Cid} raised {ExceptionType}", Name, message.Cid, ex.GetType().Name);
        }

        if (serviceContext.IsDeferred && exception is null)
        {
            logger.LogInformation("Target {Target} of {Cid} accepted; its result will be posted later", Name, message.Cid);
            recent.MarkHandled(Name, context.MessageId);
            return;
        }

        await context.Publish(new TargetCompleted
        {
            Cid = message.Cid,
            Target = Name,
            Ok = exception is null,
            Response = response,
            Exception = exception,
            RequestedAtUtc = message.RequestedAtUtc,
            RespondedAtUtc = DateTime.UtcNow,
        }).ConfigureAwait(false);
        recent.MarkHandled(Name, context.MessageId);
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

        await service.InvokeAsync(payload, CreateContext(cid, source, channel, requestedAtUtc, context.CancellationToken))
            .ConfigureAwait(false);
        recent.MarkHandled(Name, context.MessageId);
    }

    ServiceContext CreateContext(string cid, string source, string channel, DateTime requestedAtUtc, CancellationToken token,
        string? completionToken = null, string? callbackUrl = null) => new()
    {
        CompletionToken = completionToken,
        CallbackUrl = callbackUrl,
        ServiceName = Name,
        Cid = cid,
        Source = source,
        Channel = channel,
        RequestedAtUtc = requestedAtUtc,
        Patterns = patterns.ForSource(Name),
        CancellationToken = token,
    };
}
