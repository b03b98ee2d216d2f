using Fanout.Orchestrator.Runs;
using Fanout.Storage;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Saga repository on EF Core, built on MassTransit's saga repository abstractions (the equivalent of
/// MassTransit.EntityFrameworkCore, which is not available here). One transaction covers the saga row, its result
/// rows and the outbox rows the state machine's activities added; outbox messages are delivered only after that
/// transaction committed, handed over at the commit together with those of the other messages committed with it.
/// On SQLite it is shared with other CIDs' saga messages written at the same time (group
/// commit, <see cref="SagaWriteGroup"/>), each in its own savepoint, and a message joins the group at its first write
/// (<see cref="GroupedSagaWriteTransaction"/>), not before the saga is loaded. On PostgreSQL it is the message's own,
/// begun before the load, which locks the saga row (<see cref="OwnSagaWriteTransaction"/>). Concurrency: optimistic
/// (<see cref="FanoutSaga.Version"/>) on both, with messages of one CID serialised by the endpoint's partitioner so
/// conflicts stay rare (and across processes by PostgreSQL's row lock).
/// </summary>
public sealed class EfSagaRepositoryContextFactory<TSaga>(
    FanoutDbContext dbContext,
    ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory,
    SagaWriteTransaction writeTransaction,
    ISagaOutbox outbox) :
    ISagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public void Probe(ProbeContext context) => context.Add("persistence", "entity-framework-core");

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class
    {
        // SQLite: open before the write group: the pooled connection's pragmas, the saga's load and the state machine's
        // work run outside it; joining the group comes with the first write (GroupedSagaWriteTransaction).
        await dbContext.Database.OpenConnectionAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            // A run of a results batch applied in process holds a place in the write group (ResultsFanIn).
            context.TryGetPayload<SagaWriteGroup.Ticket>(out var ticket);
            await writeTransaction.BeginAsync(ticket, context.CancellationToken).ConfigureAwait(false);
            var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(
                dbContext, context, consumeContextFactory, writeTransaction, outbox);
            await next.Send(repositoryContext).ConfigureAwait(false);
            await writeTransaction.CommitAsync(outbox.HandOverCommitted, context.CancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            await writeTransaction.DisposeAsync().ConfigureAwait(false);
            await dbContext.Database.CloseConnectionAsync().ConfigureAwait(false);
        }

        await outbox.DeliverCommittedAsync(context.CancellationToken).ConfigureAwait(false);
    }

    public Task SendQuery<T>(
        ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        throw new NotSupportedException("FanoutStateMachine correlates every event by CID; saga queries are not used.");
}
