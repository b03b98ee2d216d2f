using Fanout.Storage;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Fifo.Persistence;

/// <summary>
/// The order store as the rest of the code asks for it. One subclass per provider (<see cref="SqliteOrderDbContext"/>,
/// <see cref="PostgresOrderDbContext"/>), because EF Core keeps one set of migrations per context type.
/// </summary>
public abstract class OrderDbContext : DbContext
{
    protected OrderDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<OrderRecord> Orders => Set<OrderRecord>();

    public DbSet<FifoLeaseRecord> Leases => Set<FifoLeaseRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<OrderRecord>(e =>
        {
            e.ToTable("orders");
            // The arrival order: AUTOINCREMENT on SQLite, an identity column on PostgreSQL.
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
            e.HasIndex(x => x.OrderId).IsUnique();
            e.HasIndex(x => new { x.Fifo, x.Status });
        });
        model.Entity<FifoLeaseRecord>(e =>
        {
            e.ToTable("fifo_leases");
            e.HasKey(x => x.Fifo);
            e.Property(x => x.Holder).HasMaxLength(128);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        conventions.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
