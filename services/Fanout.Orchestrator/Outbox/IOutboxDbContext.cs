using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Outbox;

/// <summary>The saga's database context, as the outbox writes to it: rows added here commit in the saga's transaction.</summary>
public interface IOutboxDbContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
}
