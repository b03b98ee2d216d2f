using System.Collections.Concurrent;
using Fanout.Bus;
using Fanout.Bus.Patterns;
using Fanout.Chaos.Parts;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Chaos.Load;

/// <summary>
/// This process on the bus, as a client of the deployment: it submits half of the fan-outs through the C# API and
/// observes the FIFO worker's <c>done</c> events. It is never killed; it lives through the broker faults like any client.
/// </summary>
public sealed class HarnessClient : IAsyncDisposable
{
    readonly IHost _host;

    HarnessClient(IHost host) => _host = host;

    public IFanoutPatterns Patterns => _host.Services.GetRequiredService<IFanoutPatterns>();
    public OrdersDone OrdersDone => _host.Services.GetRequiredService<OrdersDone>();

    public static async Task<HarnessClient> StartAsync(string rabbitMq, IReadOnlyDictionary<string, string> settings,
        CancellationToken cancellationToken)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FanoutBusSettings.RabbitMqVariable] = rabbitMq,
            ["Fanout:Source"] = "chaos",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        // stdout is the table's; the client's own warnings go to stderr with the progress lines.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton<OrdersDone>();
        builder.Services.AddFanoutBus(builder.Configuration, bus =>
        {
            bus.Register(x => x.AddConsumer<OrderDoneWatcher>());
            bus.ConfigureEndpoints((context, cfg, _) =>
                cfg.ReceiveEndpoint(ChaosNames.OrderEvents, e => e.ConfigureConsumer<OrderDoneWatcher>(context)));
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new HarnessClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(10));
        _host.Dispose();
    }
}

/// <summary>Order ids whose <c>done</c> event arrived.</summary>
public sealed class OrdersDone
{
    readonly ConcurrentDictionary<string, byte> _ids = new();

    public void Record(string orderId) => _ids.TryAdd(orderId, 0);

    public bool Contains(string orderId) => _ids.ContainsKey(orderId);
}

public sealed class OrderDoneWatcher(OrdersDone done) : IConsumer<OrderStatusChanges>
{
    public Task Consume(ConsumeContext<OrderStatusChanges> context)
    {
        foreach (var change in context.Message.Changes.Where(c => c.Order.Status == OrderStates.Done))
            done.Record(change.Order.OrderId);
        return Task.CompletedTask;
    }
}
