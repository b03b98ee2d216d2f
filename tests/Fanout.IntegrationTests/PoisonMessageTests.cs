using System.Text;
using Fanout.Bus.Poison;
using Fanout.Contracts;
using Fanout.Fifo;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// Poison published raw on the queues that take messages from outside (the plain-JSON intake, the saga's queue, a
/// service's queue, the FIFO registry): each message lands in the queue's <c>_error</c> queue on its first delivery
/// with its reason in a header and in one log line, and a good message sent after them is still consumed.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class PoisonMessageTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    const string Service = "it.poison-target";
    const string Final = "it.poison-final";
    const string EnvelopeType = "application/vnd.masstransit+json";

    /// <summary>A poison body for a queue, and the words its reason must contain.</summary>
    sealed record Poison(string Kind, string ContentType, byte[] Body, string Reason);

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    static byte[] Envelope(Guid id, string messageType, string message) =>
        Utf8($$"""{"messageId": "{{id}}", "messageType": ["urn:message:{{messageType}}"], "message": {{message}}}""");

    /// <summary>5 MB that is not JSON.</summary>
    static byte[] FiveMegabytes() => Utf8("<" + new string('x', 5 * 1024 * 1024));

    static IEnumerable<Poison> PoisonFor(string queue, Guid id)
    {
        yield return new("not JSON", EnvelopeType, Utf8("this is { not json"), "the body is not JSON");
        yield return new("5 MB", EnvelopeType, FiveMegabytes(), "the body is not JSON");
        if (queue == OrchestratorQueues.Intake)
        {
            // Plain JSON: every body is read as InvokeFanout, so an unknown message is a body with fields it has not.
            yield return new("wrong types", "application/json", Utf8("""{"cid": 5, "targets": {"t.ok": 1}}"""), "does not match the message type");
            yield return new("unknown message", "application/json", Utf8("""{"order": 5}"""), "refused");
            yield break;
        }
        var (type, wrong) = queue switch
        {
            OrchestratorQueues.Saga => ("Fanout.Contracts:InvokeFanout", """{"cid": 5, "targets": []}"""),
            FifoQueues.Registry => ("Fanout.Contracts:SubmitOrder", """{"fifo": 5}"""),
            _ => ("Fanout.Contracts:InvokeCalls", """{"cid": 5, "calls": 7}"""),
        };
        yield return new("wrong types", EnvelopeType, Envelope(id, type, wrong), "does not match the message type");
        yield return new("unknown message type", EnvelopeType, Envelope(id, "Nobody.Knows:ThisMessage", "{}"),
            $"nothing on {queue} consumes message type urn:message:Nobody.Knows:ThisMessage");
    }

    [Theory]
    [InlineData(OrchestratorQueues.Intake)]
    [InlineData(OrchestratorQueues.Saga)]
    [InlineData(Service)]
    [InlineData(FifoQueues.Registry)]
    public async Task Poison_goes_to_the_error_queue_at_once_with_its_reason_and_consumption_goes_on(string queue)
    {
        var logs = new LogLines();
        await using var host = await BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, configuration) => bus
                .AddOrchestrator(configuration)
                .AddFifoRegistry(configuration)
                .AddService<OkTarget>(Service)
                .AddService<RecordingCallback>(Final),
            new Dictionary<string, string?> { [FifoSettings.DatabaseVariable] = Directory.File("orders.db") },
            logging: l => l.AddProvider(logs));
        await using var connection = await new ConnectionFactory { Uri = new Uri(Url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        // The process's reply queue keeps MassTransit's discard-on-fault (a late reply is not poison).
        Assert.True(PoisonMessages.IsTemporary(host.Services.GetRequiredService<IBus>().Address), $"{host.Services.GetRequiredService<IBus>().Address}");

        var sent = new List<(Guid Id, Poison Poison)>();
        foreach (var id in Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()))
            sent.Add((id, PoisonFor(queue, id).ElementAt(sent.Count)));
        foreach (var (id, poison) in sent)
            await channel.BasicPublishAsync("", queue, mandatory: true,
                new BasicProperties { Persistent = true, MessageId = id.ToString(), ContentType = poison.ContentType }, poison.Body);

        await GoodMessageIsConsumed(queue, host, channel);
        var moved = await ErrorMessages(connection, queue + "_error", sent.Count);

        foreach (var (id, poison) in sent)
        {
            var message = Assert.Single(moved, m => m.Id == id.ToString());
            output.WriteLine($"{poison.Kind}: {message.Reason} (retries: {message.Retries ?? "none"})");
            Assert.Contains(poison.Reason, message.Reason);
            Assert.True(message.Retries is null or "0", $"{poison.Kind} was retried {message.Retries} times");
            // One line gives the reason (MassTransit's own R-FAULT line, with the exception, names the message too).
            var line = Assert.Single(logs.Lines, l => l.Contains(id.ToString()) && l.Contains("moved to"));
            Assert.Contains($"on {queue} moved to {queue}_error: {message.Reason}", line);
        }
    }

    /// <summary>A valid message on <paramref name="queue"/> after the poison is processed.</summary>
    async Task GoodMessageIsConsumed(string queue, BusHost host, IChannel channel)
    {
        var cid = "good-" + Guid.NewGuid().ToString("N");
        var bus = host.Services.GetRequiredService<IBus>();
        switch (queue)
        {
            case OrchestratorQueues.Intake:
                await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true, ContentType = "application/json" },
                    Utf8($$$"""{"cid": "{{{cid}}}", "targets": {"{{{Service}}}": {"n": 1}}, "on_final": ["{{{Final}}}"]}"""));
                break;
            case FifoQueues.Registry:
                // Published, as the gateway and CLI do (a send address would declare the queue without single-active-consumer).
                var order = await bus.CreateRequestClient<SubmitOrder>()
                    .GetResponse<OrderDocument>(new SubmitOrder { Fifo = "poison-check" });
                Assert.Equal(OrderStates.Standby, order.Message.Status);
                return;
            default:
                // Through the saga's queue to the service's queue.
                await host.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { [Service] = new { n = 1 } }, [Final], cid: cid);
                break;
        }
        await host.Recorder.WaitFor(all => all.Any(i => i.Service == Final && i.Cid == cid));
    }

    sealed record Moved(string Id, string Reason, string? Retries);

    /// <summary>Waits for <paramref name="count"/> messages in <paramref name="errorQueue"/> and takes them.</summary>
    static async Task<List<Moved>> ErrorMessages(IConnection connection, string errorQueue, int count)
    {
        await Eventually.Until(() => Depth(connection, errorQueue), n => n >= count, $"{count} messages in {errorQueue}", TimeSpan.FromSeconds(30));
        await using var channel = await connection.CreateChannelAsync();
        var moved = new List<Moved>();
        while (await channel.BasicGetAsync(errorQueue, autoAck: true) is { } got)
        {
            var headers = got.BasicProperties.Headers ?? new Dictionary<string, object?>();
            string? Header(string name) => headers.TryGetValue(name, out var value)
                ? value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString()
                : null;
            moved.Add(new(got.BasicProperties.MessageId ?? "", Header(PoisonReasons.Header) ?? "", Header(MessageHeaders.FaultRetryCount)));
        }
        return moved;
    }

    /// <summary>Ready messages in <paramref name="queue"/> (0 until it is declared; a passive declare of a missing queue closes its channel).</summary>
    static async Task<uint> Depth(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }
}
