using Fanout.Storage;
using Fanout.Bus;
using Fanout.Contracts;
using Fanout.Orchestrator.Activities;
using Fanout.Orchestrator.Consumers;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.StateMachines;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fanout.Orchestrator;

public static class OrchestratorRegistration
{
    /// <summary>Runs the orchestrator in this host: the saga, its store and outbox, the completion batcher and the plain-JSON intake.</summary>
    public static FanoutBusBuilder AddOrchestrator(this FanoutBusBuilder bus, IConfiguration configuration)
    {
        var settings = configuration.GetSection(OrchestratorSettings.Section).Get<OrchestratorSettings>() ?? new OrchestratorSettings();
        if (configuration[OrchestratorSettings.DatabaseVariable] is { Length: > 0 } database)
            settings.Database = database;
        if (configuration[OrchestratorSettings.SecretVariable] is { Length: > 0 } secret)
            settings.CompletionSecret = secret;

        var services = bus.Services;
        services.AddSingleton(settings);
        services.AddDbContext<FanoutDbContext>(o => o
            .UseSqlite(settings.SqliteConnectionString)
            .AddInterceptors(new SqlitePragmas()));
        services.AddSingleton(new DatabaseWriteGate(serialize: true));
        services.AddSingleton<CompletionTokenKey>();
        services.AddScoped<TargetInvoker>();
        services.AddScoped<ResultRecorder>();
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(p => p.GetRequiredService<DeadlineSweeper>());
        services.AddSingleton<RetentionService>();
        services.AddHostedService(p => p.GetRequiredService<RetentionService>());
        services.AddSingleton<DeliveredOutboxMessages>();
        services.AddSingleton<OutboxDelivery>();
        services.AddScoped<OutboxSession>();
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(p => p.GetRequiredService<OutboxRelay>());
        // Ahead of MassTransit's hosted service: the schema must exist before the first message arrives.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseInitializer>());

        bus.Register(x =>
        {
            x.AddSagaStateMachine<FanoutStateMachine, FanoutSaga>().Repository(r =>
            {
                r.RegisterSagaRepository<FanoutSaga, DbContext, SagaConsumeContextFactory<DbContext, FanoutSaga>,
                    EfSagaRepositoryContextFactory<FanoutSaga>>();
                r.RegisterLoadSagaRepository<FanoutSaga, EfSagaRepositoryContextFactory<FanoutSaga>>();
            });
            x.AddConsumer<TargetCompletedBatchConsumer>(c => c.Options<BatchOptions>(o => o
                .SetMessageLimit(settings.CompletionBatchSize)
                .SetTimeLimit(ms: 20)
                .SetConcurrencyLimit(2)
                .GroupBy<TargetCompleted, string>(m => m.Message.Cid)));
            x.AddConsumer<InvokeFanoutIntakeConsumer>();
            x.AddConsumer<FanoutQueryConsumer>();
        });

        bus.ConfigureEndpoints((context, cfg, _) =>
        {
            cfg.ReceiveEndpoint(OrchestratorQueues.Saga, e =>
            {
                e.PrefetchCount = settings.SagaConcurrency * 4;
                e.ConcurrentMessageLimit = settings.SagaConcurrency;
                // Outside the saga's DI scope, so each attempt gets a fresh DbContext.
                e.UseMessageRetry(r => r.Intervals(50, 200, 500, 1000, 2000, 5000));
                // Replies (accepted/refused) leave only after the saga's transaction committed.
                e.UseInMemoryOutbox(context);
                var partitioner = e.CreatePartitioner(settings.SagaConcurrency);
                e.ConfigureSaga<FanoutSaga>(context, s =>
                {
                    s.Message<InvokeFanout>(m => m.UsePartitioner(partitioner, c => FanoutStateMachine.EffectiveCid(c)));
                    s.Message<RecordTargetResults>(m => m.UsePartitioner(partitioner, c => c.Message.Cid));
                    s.Message<SubmitTargetResult>(m => m.UsePartitioner(partitioner, c => c.Message.Cid));
                    s.Message<FanoutDeadlineReached>(m => m.UsePartitioner(partitioner, c => c.Message.Cid));
                    s.Message<CancelFanout>(m => m.UsePartitioner(partitioner, c => c.Message.Cid));
                });
            });

            cfg.ReceiveEndpoint(OrchestratorQueues.Completions, e =>
            {
                e.PrefetchCount = settings.CompletionBatchSize * 3;
                e.ConcurrentMessageLimit = settings.CompletionBatchSize * 2;
                e.UseMessageRetry(r => r.Intervals(100, 500, 2000));
                e.ConfigureConsumer<TargetCompletedBatchConsumer>(context);
            });

            cfg.ReceiveEndpoint(OrchestratorQueues.Queries, e =>
            {
                e.ConcurrentMessageLimit = 8;
                e.ConfigureConsumer<FanoutQueryConsumer>(context);
            });

            cfg.ReceiveEndpoint(OrchestratorQueues.Intake, e =>
            {
                e.ConfigureConsumeTopology = false;
                e.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                e.ConfigureConsumer<InvokeFanoutIntakeConsumer>(context);
            });
        });
        return bus;
    }
}
