using Fanout.Orchestrator.Runs;
using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Persistence;

/// <summary>Loads and stores one saga instance for one message, inside the transaction the factory opened.</summary>
internal sealed class EfSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    readonly DbContext dbContext;
    readonly ConsumeContext<TMessage> consumeContext;
    readonly ISagaConsumeContextFactory<DbContext, TSaga> factory;
    readonly SagaWriteTransaction writeTransaction;
    readonly ISagaOutbox outbox;

    public EfSagaRepositoryContext(DbContext dbContext, ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<DbContext, TSaga> factory, SagaWriteTransaction writeTransaction,
        ISagaOutbox outbox)
        : base(consumeContext, dbContext)
    {
        this.outbox = outbox;
        this.dbContext = dbContext;
        this.writeTransaction = writeTransaction;
        this.consumeContext = consumeContext;
        this.factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(dbContext, consumeContext, instance, SagaConsumeContextMode.Add);

    /// <summary>
    /// Called by MassTransit only for events with <c>InsertOnInitial</c> (and saga queries); FanoutStateMachine uses
    /// neither, and stores a new run through <see cref="Add"/> once it was validated.
    /// </summary>
    public Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance) =>
        throw new NotSupportedException(
            "Sagas are added after their first event, never inserted up front (InsertOnInitial is off).");

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = Preloaded(correlationId, out var preloaded)
            ? preloaded
            : await writeTransaction.LoadAsync<TSaga>(dbContext, correlationId, CancellationToken)
                .ConfigureAwait(false);
        return instance is null
            ? default!
            : await factory.CreateSagaConsumeContext(dbContext, consumeContext, instance, SagaConsumeContextMode.Load)
                .ConfigureAwait(false);
    }

    /// <summary>
    /// The saga read with the other runs of its batch (<see cref="SagaPreloads"/>), tracked here as if loaded here; a
    /// retry of the message finds it taken and loads from the store.
    /// </summary>
    bool Preloaded(Guid correlationId, out TSaga? instance)
    {
        instance = null;
        if (!consumeContext.TryGetPayload<PreloadedSaga>(out var preloaded)
            || !preloaded.TryTake(correlationId, out var stored))
            return false;
        if (stored is not TSaga saga)
            return stored is null;
        dbContext.Set<TSaga>().Attach(saga);
        instance = saga;
        return true;
    }

    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        await dbContext.Set<TSaga>().AddAsync(context.Saga, CancellationToken).ConfigureAwait(false);
        await WriteAsync(context.Saga).ConfigureAwait(false);
    }

    public async Task Update(SagaConsumeContext<TSaga> context)
    {
        await WriteAsync(context.Saga).ConfigureAwait(false);
    }

    public async Task Delete(SagaConsumeContext<TSaga> context)
    {
        dbContext.Set<TSaga>().Remove(context.Saga);
        await WriteAsync(context.Saga).ConfigureAwait(false);
    }

    /// <summary>
    /// The messages the saga emitted as outbox rows, then what EF Core tracks (the saga row), in the message's
    /// transaction.
    /// </summary>
    async Task WriteAsync(TSaga saga)
    {
        if (saga is FanoutSaga run)
            await outbox.WriteAsync(run, CancellationToken).ConfigureAwait(false);
        await writeTransaction.EnsureAsync(CancellationToken).ConfigureAwait(false);
        await dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
    }

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        dbContext.ChangeTracker.Clear();
        return Task.CompletedTask;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, TSaga instance,
        SagaConsumeContextMode mode) where T : class =>
        factory.CreateSagaConsumeContext(dbContext, context, instance, mode);
}
