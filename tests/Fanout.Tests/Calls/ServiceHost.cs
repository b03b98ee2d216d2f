using Fanout.Bus;
using Fanout.Contracts;
using Fanout.Samples.Services;
using Fanout.Tests.Logging;
using Fanout.Tests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Tests.Calls;

/// <summary>
/// Service hosting alone, with no orchestrator, under MassTransit's test harness (in-memory transport): the test
/// plays the orchestrator, sending <see cref="InvokeCalls"/> and reading the <see cref="CallsCompletedForRuns"/>
/// published back.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const int CallConcurrency = 4;

    readonly ServiceProvider _provider;

    ServiceHost(ServiceProvider provider, CapturedLogs logs)
    {
        _provider = provider;
        Logs = logs;
    }

    public ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();
    public CallLog Log => _provider.GetRequiredService<CallLog>();
    public Gate Gate => _provider.GetRequiredService<Gate>();
    public ConcurrencyMeter Meter => _provider.GetRequiredService<ConcurrencyMeter>();
    public CapturedLogs Logs { get; }
    public BusObserver Observed { get; } = new();

    public static async Task<ServiceHost> StartAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FanoutBusSettings.RabbitMqVariable] = "",
            ["Fanout:Services:CallConcurrency"] = CallConcurrency.ToString(),
        }).Build();
        var services = new ServiceCollection();
        var logs = new CapturedLogs();
        services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        services.AddSingleton<CallLog>();
        services.AddSingleton<Gate>();
        services.AddSingleton<ConcurrencyMeter>();
        services.AddFanoutBus(configuration, bus => bus
            .AddService<KeyedEcho>()
            .AddService<AlwaysFails>()
            .AddService<SometimesDefers>()
            .AddService<GatedCall>()
            .AddService<SlowCall>()
            .AddService<FlakyService>()
            .AddService<FinalOnly>("cb.final-only")
            .AddService<TargetOnly>("cb.target-only")
            .AddService<NeedsField>("cb.needs-field"), testHarness: true);

        var host = new ServiceHost(services.BuildServiceProvider(validateScopes: true), logs);
        host.Harness.TestTimeout = TimeSpan.FromSeconds(30);
        await host.Harness.Start();
        host.Harness.Bus.ConnectPublishObserver(host.Observed);
        host.Harness.Bus.ConnectSendObserver(host.Observed);
        host.Harness.Bus.ConnectConsumeObserver(host.Observed);
        return host;
    }

    /// <summary>Sends a chunk to the service's queue as the orchestrator does; returns its message id.</summary>
    public async Task<Guid> SendAsync(InvokeCalls chunk, Guid? messageId = null)
    {
        var id = messageId ?? NewId.NextGuid();
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{chunk.Service}"));
        await endpoint.Send(chunk, c => c.MessageId = id);
        return id;
    }

    /// <summary>Waits until the service finished consuming the message with this id (its results are published by then).</summary>
    public Task Consumed(Guid messageId, int copies = 1) => Eventually.Until(
        () => Observed.Consumed(messageId), n => n >= copies, $"{copies} consumed cop(ies) of {messageId}");

    /// <summary>The run's part of every <see cref="CallsCompletedForRuns"/> sent so far, in order.</summary>
    public IReadOnlyList<CallsCompleted> Batches(string cid) =>
        Observed.Sent<CallsCompletedForRuns>().SelectMany(m => m.Runs).Where(b => b.Cid == cid).ToList();

    public IServiceProvider Services => _provider;

    public IReadOnlyList<CallResult> Results(string cid) => Batches(cid).SelectMany(b => b.Results).ToList();

    public static InvokeCalls Chunk(string service, params CallInvocation[] calls) => new()
    {
        Cid = "cid-" + Guid.NewGuid().ToString("N")[..8],
        Source = "tests",
        Service = service,
        Channel = Channels.FanoutCall,
        RequestedAtUtc = DateTime.UtcNow,
        Calls = calls,
    };

    public static CallInvocation Call(string key, object? request = null, RetryPolicy? retry = null, string? completionToken = null) => new()
    {
        Key = key,
        Request = Fanout.Bus.FanoutJson.ToElement(request),
        Retry = retry,
        CompletionToken = completionToken,
    };

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
