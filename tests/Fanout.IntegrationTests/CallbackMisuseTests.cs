using System.Diagnostics;
using System.Text;
using Fanout.Bus.Authoring;
using Fanout.Bus.Patterns;
using Fanout.Contracts;
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
/// A final-callback class named as a per-target callback, on RabbitMQ: one clear fault and log line, the message in
/// the callback's <c>_error</c> queue once, delivered once (no retries), and the run itself unaffected.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class CallbackMisuseTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    const string Misnamed = "it.final-only";

    [Fact]
    public async Task A_final_callback_named_in_on_target_faults_once_into_its_error_queue_without_retries()
    {
        var logs = new LogLines();
        await using var orchestrator = await BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, configuration) => bus.AddOrchestrator(configuration));
        await using var services = await BusHost.StartAsync(Url, null, (bus, _) =>
            bus.AddService<OkTarget>().AddService<RecordingCallback>("it.final").AddService<FinalOnlyCallback>(Misnamed),
            logging: l => l.AddProvider(logs));
        var deliveries = new Deliveries(Misnamed);
        using var _ = services.Services.GetRequiredService<IBus>().ConnectReceiveObserver(deliveries);

        var clock = Stopwatch.StartNew();
        var cid = await services.Patterns.Fanout.InvokeAsync([FanoutCall.To("t.ok", new { n = 1 }, "only")], ["it.final"], [Misnamed]);
        var faulted = await Eventually.Until(() => ErrorQueueDepth(Misnamed + "_error"), n => n >= 1,
            $"the misused callback's message in {Misnamed}_error", TimeSpan.FromSeconds(30));
        output.WriteLine($"fault in {Misnamed}_error {clock.ElapsedMilliseconds} ms after the start (retries would take 6.2 s)");
        // The run is not held up by its broken callback: it completes and its final callback runs once.
        await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final" && i.Cid == cid));
        await BusActivity.WaitForIdle([services.Activity, orchestrator.Activity]);

        Assert.Equal(1u, faulted);
        Assert.Equal(1u, await ErrorQueueDepth(Misnamed + "_error"));
        Assert.Equal(1, deliveries.Count);
        var lines = logs.Lines.Where(l => l.Contains($"Callback '{Misnamed}'")).ToList();
        var line = Assert.Single(lines);
        foreach (var text in new[] { Misnamed, nameof(FinalOnlyCallback), Channels.FanoutOnTarget, "expects " + Channels.FanoutOnFinal, "not retried" })
            Assert.Contains(text, line);

        var (fault, exceptionType) = await FaultOfErrorMessage(Misnamed + "_error");
        output.WriteLine($"fault: {exceptionType}: {fault}");
        Assert.Equal(typeof(CallbackMisuseException).FullName, exceptionType);
        // The one log line names the queue and gives the fault as its reason.
        Assert.Contains($"on {Misnamed} moved to {Misnamed}_error: {fault}", line);
        Assert.Single(services.Recorder.Of("it.final", cid));
    }

    async Task<IChannel> Channel(IConnection connection) => await connection.CreateChannelAsync();

    /// <summary>Ready messages in <paramref name="queue"/> now (0 while MassTransit has not declared it yet).</summary>
    async Task<uint> ErrorQueueDepth(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Url) }.CreateConnectionAsync();
        await using var channel = await Channel(connection);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>The fault MassTransit wrote on the dead-lettered message (its headers), leaving the message in place.</summary>
    async Task<(string Message, string Type)> FaultOfErrorMessage(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Url) }.CreateConnectionAsync();
        await using var channel = await Channel(connection);
        var got = await channel.BasicGetAsync(queue, autoAck: false) ?? throw new InvalidOperationException($"{queue} is empty");
        string Header(string name) => got.BasicProperties.Headers?.TryGetValue(name, out var value) == true && value is byte[] bytes
            ? Encoding.UTF8.GetString(bytes) : "";
        await channel.BasicNackAsync(got.DeliveryTag, multiple: false, requeue: true);
        return (Header("MT-Fault-Message"), Header("MT-Fault-ExceptionType"));
    }

    /// <summary>Deliveries received by one endpoint of a bus (a retry re-runs the pipe; a redelivery is received again).</summary>
    sealed class Deliveries(string queue) : IReceiveObserver
    {
        int _count;
        public int Count => Volatile.Read(ref _count);

        Task IReceiveObserver.PreReceive(ReceiveContext context)
        {
            if (context.InputAddress.AbsolutePath.EndsWith("/" + queue, StringComparison.Ordinal))
                Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }

        Task IReceiveObserver.PostReceive(ReceiveContext context) => Task.CompletedTask;
        Task IReceiveObserver.PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) => Task.CompletedTask;
        Task IReceiveObserver.ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) => Task.CompletedTask;
        Task IReceiveObserver.ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
    }
}

/// <summary>A final callback only; naming it in on_target is the misuse under test.</summary>
public sealed class FinalOnlyCallback(Recorder recorder) : FinalCallback
{
    protected override Task OnFinalAsync(FinalPayload payload, ServiceContext context)
    {
        recorder.Add(new Invocation(context.ServiceName, context.Channel, context.Cid, context.Source, default));
        return Task.CompletedTask;
    }
}
