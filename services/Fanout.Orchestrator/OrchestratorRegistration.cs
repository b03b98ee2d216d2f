using Fanout.Bus;
using Fanout.Bus.Logging;
using Fanout.Bus.Poison;
using Fanout.Contracts;
using Fanout.Orchestrator.Consumers;
using Fanout.Orchestrator.FanIn;
using Fanout.Orchestrator.LiveServices;
using Fanout.Orchestrator.Hosting;
using Fanout.Orchestrator.Intake;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Security;
using Fanout.Orchestrator.StateMachines;
using Fanout.Orchestrator.Targets;
using Fanout.Storage;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Fanout.Orchestrator;

public static class OrchestratorRegistration
{
    /// <summary>
    /// Runs the orchestrator in this host: the saga, its store and outbox, the in-process fan-in of results and the
    /// plain-JSON intake.
    /// </summary>
    public static FanoutBusBuilder AddOrchestrator(this FanoutBusBuilder bus, IConfiguration configuration)
    {
        var settings = configuration.GetSection(OrchestratorSettings.Section).Get<OrchestratorSettings>()
            ?? new OrchestratorSettings();
        if (configuration[OrchestratorSettings.DatabaseVariable] is { Length: > 0 } database)
            settings.Database = database;
        if (configuration[OrchestratorSettings.SecretVariable] is { Length: > 0 } secret)
            settings.CompletionSecret = secret;

        var services = bus.Services;
        services.AddSingleton(settings);
        services.AddFanoutStore(settings);
        services.AddSingleton<CompletionTokenKey>();
        services.AddScoped<TargetInvoker>();
        services.AddScoped<ResultRecorder>();
        services.AddScoped<TargetRowWriter>();
        services.AddScoped<OutboxRowWriter>();
        services.AddScoped<UnfinishedTargets>();
        services.AddScoped<RunProgress>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobLeases>();
        services.AddSingleton<ServiceDirectory>();
        services.AddMetrics();
        services.AddHostedService<OutboxBacklogGauge>();
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(p => p.GetRequiredService<DeadlineSweeper>());
        services.AddSingleton<RetentionService>();
        services.AddHostedService(p => p.GetRequiredService<RetentionService>());
        services.AddSingleton<DeliveredOutboxMessages>();
        services.AddSingleton<OutboxDelivery>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<BrokerRefusals>();
        services.AddSendObserver(p => p.GetRequiredService<BrokerRefusals>());
        services.AddSingleton<RefusedOutboxMessages>();
        services.AddScoped<OutboxSession>();
        services.AddScoped<ISagaOutbox>(p => p.GetRequiredService<OutboxSession>());
        services.AddSingleton<RunLocks>();
        services.AddSingleton<RunWriteTurns>();
        services.AddSingleton<SagaPreloads>();
        services.AddSingleton<ResultsFanIn>();
        services.AddSingleton<RunIntake>();
        // The saga also on the mediator, for results applied in process (ResultsFanIn) and batches of runs started in
        // process (RunIntake): the same state machine, repository and activities, a DI scope per message, each attempt
        // retried with a fresh one. No run lock here: ResultsFanIn and RunIntake hold their runs' locks. A run's answer
        // is held until the attempt that committed it ended, as on the saga's queue.
        services.AddMediator(m => m.ConfigureMediator((context, mediator) =>
        {
            mediator.UseMessageRetry(r => r.Intervals(50, 200, 500, 1000, 2000, 5000).IgnorePoison());
            // As on the bus: a run started or fed from a batch logs with its own cid, not the batch's none.
            mediator.UseConsumeFilter(typeof(LogScopeFilter<>), context);
            mediator.StateMachineSaga<FanoutSaga>(context,
                saga => saga.Message<InvokeFanout>(m => m.UseInMemoryOutbox(context)));
        }));
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(p => p.GetRequiredService<OutboxRelay>());
        // Ahead of MassTransit's hosted service: the schema must exist before the first message arrives.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseInitializer>());

        bus.Register(x =>
        {
            x.AddSagaStateMachine<FanoutStateMachine, FanoutSaga, FanoutSagaDefinition>().Repository(r =>
                r.RegisterSagaRepository<FanoutSaga, DbContext, SagaConsumeContextFactory<DbContext, FanoutSaga>,
                    EfSagaRepositoryContextFactory<FanoutSaga>>());
            x.AddConsumer<TargetCompletedBatchConsumer, TargetCompletedBatchConsumerDefinition>();
            x.AddConsumer<CallsCompletedConsumer, CallsCompletedConsumerDefinition>();
            x.AddConsumer<ResultBatchConsumer, ResultBatchConsumerDefinition>();
            x.AddConsumer<InvokeFanoutIntakeConsumer, InvokeFanoutIntakeConsumerDefinition>();
            x.AddConsumer<InvokeFanoutsConsumer, InvokeFanoutsConsumerDefinition>();
            x.AddConsumer<FanoutQueryConsumer, FanoutQueryConsumerDefinition>();
            x.AddConsumer<ServiceDirectoryConsumer>();
        });

        // Each endpoint's settings (prefetch, concurrency, retry, partitioning) are in its saga or consumer definition.
        bus.ConfigureEndpoints((context, cfg, _) =>
        {
            cfg.ReceiveEndpoint(OrchestratorQueues.Saga, e =>
            {
                e.ConfigureSaga<FanoutSaga>(context);
                e.ConfigureConsumer<InvokeFanoutsConsumer>(context);
            });
            cfg.ReceiveEndpoint(OrchestratorQueues.Completions, e =>
            {
                e.ConfigureConsumer<TargetCompletedBatchConsumer>(context);
                e.ConfigureConsumer<CallsCompletedConsumer>(context);
            });
            cfg.ReceiveEndpoint(OrchestratorQueues.Results, e => e.ConfigureConsumer<ResultBatchConsumer>(context));
            cfg.ReceiveEndpoint(OrchestratorQueues.Queries, e =>
            {
                e.ConfigureConsumer<FanoutQueryConsumer>(context);
                e.ConfigureConsumer<ServiceDirectoryConsumer>(context);
            });
            cfg.ReceiveEndpoint(OrchestratorQueues.Intake,
                e => e.ConfigureConsumer<InvokeFanoutIntakeConsumer>(context));
        });
        return bus;
    }
}
