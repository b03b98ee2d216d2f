using Fanout.Bus.Authoring;
using Fanout.Bus.Hosting;
using Fanout.Bus.Hosting.Calls;
using Fanout.Bus.Logging;
using Fanout.Bus.Patterns;
using Fanout.Bus.Poison;
using Fanout.Bus.Resilience;
using Fanout.Bus.Telemetry;
using Fanout.Bus.Waiting;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Bus;

public static class FanoutBusServiceCollectionExtensions
{
    /// <summary>
    /// The one call every host makes: MassTransit on RabbitMQ (when a broker URL is configured) or in memory,
    /// the services added in <paramref name="build"/>, each on its own durable queue, and
    /// <see cref="IFanoutPatterns"/>.
    /// </summary>
    public static IServiceCollection AddFanoutBus(this IServiceCollection services, IConfiguration configuration,
        Action<FanoutBusBuilder>? build = null) =>
        AddFanoutBus(services, configuration, build, testHarness: false);

    /// <summary>
    /// With <paramref name="testHarness"/>, the same bus under MassTransit's test harness (for tests).
    /// </summary>
    internal static IServiceCollection AddFanoutBus(this IServiceCollection services, IConfiguration configuration,
        Action<FanoutBusBuilder>? build, bool testHarness)
    {
        var settings = configuration.GetSection(FanoutBusSettings.Section).Get<FanoutBusSettings>()
            ?? new FanoutBusSettings();
        var fromVariable = configuration[FanoutBusSettings.RabbitMqVariable] is { Length: > 0 };
        settings.RabbitMq = fromVariable ? configuration[FanoutBusSettings.RabbitMqVariable]
            : configuration[$"{FanoutBusSettings.Section}:RabbitMq"];
        // Parsed here, not when the bus starts, so a malformed node list stops the process before anything runs.
        var nodes = settings.UsesRabbitMq
            ? RabbitMqNodes.Parse(settings.RabbitMq!,
                fromVariable ? FanoutBusSettings.RabbitMqVariable : $"{FanoutBusSettings.Section}:RabbitMq")
            : null;
        var queueType = RabbitMqQueueTypeSetting.Read(configuration);
        var builder = new FanoutBusBuilder(services);
        build?.Invoke(builder);
        var topology = new FanoutTopology(settings.UsesRabbitMq);

        services.TryAddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddFanoutTelemetry(configuration);
        services.TryAddSingleton(topology);
        services.TryAddSingleton(new QueueAddresses(queueType));
        services.TryAddSingleton<RecentMessages>();
        services.TryAddSingleton<CallSlots>();
        services.TryAddSingleton<CallCounters>();
        services.TryAddSingleton(p => new ResultSender(
            // Not tied to one chunk's delivery: the batch carries results of many. Bounded and retried like every
            // publish. Sent to the results queue, which has one active orchestrator (ResultQueue).
            message => p.GetRequiredService<BoundedPublish>().RunAsync(async token =>
            {
                var results = ResultQueue.Address(p.GetRequiredService<QueueAddresses>());
                await (await p.GetRequiredService<IBus>().GetSendEndpoint(results)).Send(message, token);
            }, CancellationToken.None),
            Math.Max(1, settings.Services.ResultBatchSize)));
        services.TryAddSingleton<RunEvents>();
        services.TryAddSingleton<RunStatusReader>();
        services.TryAddSingleton<RunWaiter>();
        services.TryAddSingleton<RunSubmissions>();
        services.TryAddSingleton<PatternsFactory>();
        services.TryAddSingleton(settings.Reconnect);
        services.TryAddSingleton<EndpointWatch>();
        services.TryAddSingleton<BoundedPublish>();
        // MassTransit adds its bus check (tags "ready", "masstransit") to these;
        // ours says whether the process is stuck.
        services.AddHealthChecks().AddCheck<BusLivenessCheck>(BusLivenessCheck.Name, tags: [HealthTags.Live]);
        services.TryAddSingleton(TimeProvider.System);
        if (settings.UsesRabbitMq && settings.Reconnect.Interval > TimeSpan.Zero)
        {
            services.TryAddSingleton<CancelledDeliveries>();
            services.TryAddSingleton(new ProcessExit(Environment.Exit));
            services.AddReceiveObserver(p => p.GetRequiredService<CancelledDeliveries>());
            services.AddReceiveEndpointObserver(p => p.GetRequiredService<CancelledDeliveries>());
            services.AddHostedService<ReceiveEndpointSupervisor>();
        }
        if (settings.UsesRabbitMq && queueType == RabbitMqQueueType.Quorum)
            services.AddHostedService<BusEndpointStart>();
        services.TryAddSingleton(p => p.GetRequiredService<PatternsFactory>().ForSource(settings.Source));
        foreach (var serviceType in builder.Registered.Select(s => s.ServiceType).Distinct())
            services.AddScoped(serviceType);

        services.Configure<MassTransitHostOptions>(o =>
        {
            // Publishing before receive endpoints exist loses messages: start the bus fully first.
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        Action<IBusRegistrationConfigurator> configure = x =>
        {
            // MassTransit reports usage to its vendor five minutes after start unless told not to;
            // ours is nobody's business.
            x.DisableUsageTelemetry();
            foreach (var consumerType in builder.Registered.Select(ConsumerType).Distinct())
                x.AddConsumer(consumerType);
            foreach (var register in builder.Registrations)
                register(x);

            if (settings.UsesRabbitMq)
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(nodes!.Primary, h =>
                    {
                        h.Heartbeat(settings.Reconnect.Heartbeat);
                        // Each (re)connect tries the nodes in turn from the one after the last used, so losing a node
                        // moves the connection to the next one.
                        if (nodes.IsCluster)
                            h.UseCluster(c =>
                            {
                                foreach (var node in nodes.Nodes)
                                    c.Node(node);
                            });
                    });
                    FanoutTopology.ConfigureCallbackRouting(cfg);
                    // A queue of the other type never declares: end the process with one line instead of
                    // retrying forever.
                    cfg.ConnectEndpointConfigurationObserver(new QueueTypeMismatch(
                        context.GetRequiredService<ILoggerFactory>().CreateLogger<QueueTypeMismatch>(), queueType,
                        Environment.Exit));
                    if (queueType == RabbitMqQueueType.Quorum)
                    {
                        cfg.ConnectEndpointConfigurationObserver(new QuorumQueues());
                        // A refused publish to a quorum queue can leave its channel refusing every later one:
                        // reopen it.
                        cfg.ConnectEndpointConfigurationObserver(new NackedChannelRecycling(
                            context.GetRequiredService<ILoggerFactory>().CreateLogger<NackedChannelRecycling>(),
                            settings.Reconnect.Interval));
                    }
                    ConfigureEndpoints(context, cfg, builder, topology, settings);
                });
            else
                x.UsingInMemory((context, cfg) => ConfigureEndpoints(context, cfg, builder, topology, settings));
        };
        if (testHarness)
            services.AddMassTransitTestHarness(configure);
        else
            services.AddMassTransit(configure);
        // After MassTransit's hosted service: it starts once the bus is up and stops (saying goodbye) before it.
        var hosted = builder.Registered.Select(s => s.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        if (!testHarness && hosted.Count > 0 && settings.Services.AnnounceInterval > TimeSpan.Zero)
            services.AddHostedService(p => new ServiceAnnouncer(p.GetRequiredService<IBus>(), hosted, settings.Services,
                p.GetRequiredService<CallCounters>(), p.GetRequiredService<TimeProvider>(),
                p.GetRequiredService<ILogger<ServiceAnnouncer>>()));
        return services;
    }

    static Type ConsumerType(ServiceRegistration service) =>
        typeof(ServiceConsumer<>).MakeGenericType(service.ServiceType);

    static void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator cfg,
        FanoutBusBuilder builder, FanoutTopology topology, FanoutBusSettings settings)
    {
        // Bus-wide, so every endpoint (services, callbacks, the saga, FIFO workers) logs with cid/target.
        cfg.UseConsumeFilter(typeof(LogScopeFilter<>), context);
        // Before any endpoint: every one moves poison to its _error queue with a reason header and one log line.
        cfg.ConnectEndpointConfigurationObserver(new PoisonMessages(context.GetRequiredService<ILoggerFactory>()));
        foreach (var service in builder.Registered)
            cfg.ReceiveEndpoint(service.Name, e =>
            {
                e.PrefetchCount = settings.PrefetchCount;
                topology.BindCallbacks(e, service.Name);
                // A callback that throws is retried, then dead-lettered to <name>_error; targets and calls never throw
                // here because their exceptions are results. A callback in the wrong role fails the same way
                // every time.
                e.UseMessageRetry(r =>
                {
                    r.Intervals(200, 1000, 5000);
                    r.IgnorePoison();
                });
                context.ConfigureConsumer(ConsumerType(service), e);
            });
        foreach (var configure in builder.Endpoints)
            configure(context, cfg, topology);
    }
}
