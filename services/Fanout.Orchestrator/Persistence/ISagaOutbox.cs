using Fanout.Orchestrator.Runs;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// The messages a saga message emits (<see cref="FanoutSaga.Emitted"/>), as the saga repository sees them: stored in
/// the message's transaction right before the saga row, handed over at its commit and delivered after it. The outbox
/// implements it (<c>OutboxSession</c>); the repository knows no more of it than this.
/// </summary>
public interface ISagaOutbox
{
    /// <summary>
    /// Takes the messages the saga emitted since the last write and stores them, in the saga message's transaction.
    /// </summary>
    Task WriteAsync(FanoutSaga saga, CancellationToken cancellationToken);

    /// <summary>At the commit of the transaction they were written in: queues them for delivery.</summary>
    void HandOverCommitted();

    /// <summary>After the commit: delivers what was handed over and awaits it.</summary>
    Task DeliverCommittedAsync(CancellationToken cancellationToken);
}
