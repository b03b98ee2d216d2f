using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// The outbox's table in the fan-out store; <c>FanoutDbContext</c> applies it with the other tables of this assembly.
/// </summary>
public sealed class OutboxMessageTable : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> e)
    {
        e.ToTable("outbox_messages");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedNever();
        e.HasIndex(x => x.CreatedAtUtc);
    }
}
