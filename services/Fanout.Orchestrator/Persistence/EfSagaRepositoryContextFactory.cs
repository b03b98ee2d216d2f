using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Runs;
using Fanout.Storage;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Saga repository on EF Core, built on MassTransit's saga repository abstractions (the equivalent of
/// MassTransit.EntityFrameworkCore, which is not available here). One transaction per saga message covers the
/// saga row, its result rows and the outbox rows the state machine's activities added; outbox messages are
/// delivered only after that transaction committed. Concurrency: optimistic (<see cref="FanoutSaga.Version"/>),
/// with messages of one CID serialised by the endpoint's partitioner so conflicts stay rare.
/// </summary>
public sealed class EfSagaRepositoryContextFactory<TSaga>(
    FanoutDbContext dbContext,
    ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory,
    DatabaseWriteGate writeGate,
    OutboxSession outbox) :
    ISagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public void Probe(ProbeContext context) => context.Add("persistence", "entity-framework-core");

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class
    {
        using (await writeGate.EnterAsync(context.CancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await dbContext.Database.BeginTransactionAsync(context.CancellationToken).ConfigureAwait(false);
            var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(dbContext, context, consumeContextFactory);
            await next.Send(repositoryContext).ConfigureAwait(false);
            await transaction.CommitAsync(context.CancellationToken).ConfigureAwait(false);
        }

        await outbox.DeliverCommittedAsync(context.CancellationToken).ConfigureAwait(false);
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        throw new NotSupportedException("FanoutStateMachine correlates every event by CID; saga queries are not used.");
}
