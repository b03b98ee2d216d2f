using Fanout.Bus;
using Fanout.Bus.Naming;
using Fanout.Bus.Poison;
using Fanout.Fifo.Consumers;
using Fanout.Fifo.Leases;
using Fanout.Fifo.Persistence;
using Fanout.Fifo.Processing;
using Fanout.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Fanout.Fifo;

public static class FifoRegistration
{
    /// <summary>Deliveries a FIFO worker holds ahead of the one it processes.</summary>
    const int WorkerPrefetch = 16;

    /// <summary>The order store, the order registry (single active consumer) and order queries.</summary>
    public static FanoutBusBuilder AddFifoRegistry(this FanoutBusBuilder bus, IConfiguration configuration)
    {
        AddStore(bus, configuration);
        bus.Register(x =>
        {
            x.AddConsumer<OrderRegistryConsumer>();
            x.AddConsumer<OrderIntakeConsumer>();
            x.AddConsumer<OrderBatchIntakeConsumer>();
            x.AddConsumer<OrderQueryConsumer>();
        });
        bus.Services.AddScoped<OrderIntake>();
        bus.Services.AddSingleton<OrderIntakeLine>();
        bus.Services.AddSingleton<PendingSubmissions>();
        bus.Services.AddHostedService<EnqueueSweeper>();
        bus.Services.AddMetrics();
        bus.Services.AddHostedService<FifoDepthGauge>();
        return bus.ConfigureEndpoints((context, cfg, _) =>
        {
            cfg.ReceiveEndpoint(FifoQueues.Registry, e =>
            {
                // One consumer across processes; in it, single submissions wait in PendingSubmissions while an intake
                // runs and go together in the next (one transaction each). The next batch fills while one is stored
                // (with room for a discard): a limit of one batch would leave the next with what the first left over.
                SingleActive(e);
                e.PrefetchCount = PendingSubmissions.MaxBatch * 2 + 1;
                e.ConcurrentMessageLimit = PendingSubmissions.MaxBatch * 2 + 1;
                e.UseMessageRetry(r => r.Intervals(100, 500, 2000).IgnorePoison());
                e.ConfigureConsumer<OrderRegistryConsumer>(context);
                e.ConfigureConsumer<OrderIntakeConsumer>(context);
                e.ConfigureConsumer<OrderBatchIntakeConsumer>(context);
            });
            cfg.ReceiveEndpoint(FifoQueues.Queries, e =>
            {
                e.ConcurrentMessageLimit = 8;
                e.ConfigureConsumer<OrderQueryConsumer>(context);
            });
        });
    }

    /// <summary>
    /// Processes the orders of <paramref name="fifo"/> with <typeparamref name="THandler"/>, one at a time. Run it in
    /// several processes for availability: RabbitMQ lets one consume, the others stand by, and the line's lease in the
    /// order store lets only one run a handler at a time.
    /// </summary>
    public static FanoutBusBuilder AddFifoWorker<THandler>(
        this FanoutBusBuilder bus, IConfiguration configuration, string fifo)
        where THandler : class, IFifoHandler
    {
        if (ServiceNames.Problem(fifo) is { } problem)
            throw new InvalidOperationException($"FIFO name: {problem}");
        AddStore(bus, configuration);
        bus.Services.AddKeyedScoped<IFifoHandler, THandler>(fifo);
        bus.Services.TryAddSingleton<FinishedOrders>();
        bus.Services.TryAddSingleton(TimeProvider.System);
        bus.Services.TryAddSingleton(sp => new FifoLeases(sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredKeyedService<DatabaseWriteGate>(OrderStore.WriteGate), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<FifoSettings>().LeaseDuration, FifoLeases.ProcessHolder()));
        bus.Register(x => x.AddConsumer<FifoWorkerConsumer>());
        return bus.ConfigureEndpoints((context, cfg, _) => cfg.ReceiveEndpoint(FifoQueues.For(fifo), e =>
        {
            SingleActive(e);
            // Still one order at a time (concurrency 1), but the next deliveries wait here rather than a broker round
            // trip away; a crash returns them unacknowledged, in order, to the standby.
            e.PrefetchCount = WorkerPrefetch;
            // A delivery fails only on the store or the broker (handler errors are the order's retries): running it
            // again holds the line until they answer, and re-announces an order whose final event was refused. Long
            // enough for a cluster to move a queue's leader; after that the delivery goes to _error and the next one
            // carries the line on.
            e.UseMessageRetry(r => r.Intervals(250, 1000, 5000, 15000, 30000).IgnorePoison());
            e.ConfigureConsumer<FifoWorkerConsumer>(context);
        }));
    }

    /// <summary>
    /// Prefetch 1 and concurrency 1 in this process; on RabbitMQ a single active consumer across processes.
    /// </summary>
    static void SingleActive(IReceiveEndpointConfigurator e)
    {
        e.PrefetchCount = 1;
        e.ConcurrentMessageLimit = 1;
        if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.SingleActiveConsumer = true;
    }

    static void AddStore(FanoutBusBuilder bus, IConfiguration configuration)
    {
        var services = bus.Services;
        services.TryAddSingleton(TimeProvider.System);
        if (services.Any(d => d.ServiceType == typeof(FifoSettings)))
            return;
        var settings = configuration.GetSection(FifoSettings.Section).Get<FifoSettings>() ?? new FifoSettings();
        if (configuration[FifoSettings.DatabaseVariable] is { Length: > 0 } database)
            settings.Database = database;
        services.AddSingleton(settings);
        OrderStore.Add(services, settings);
    }
}
