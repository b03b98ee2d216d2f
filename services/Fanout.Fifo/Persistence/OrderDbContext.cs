using Fanout.Storage;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Fifo.Persistence;

public sealed class OrderDbContext(DbContextOptions<OrderDbContext> options) : DbContext(options)
{
    public DbSet<OrderRecord> Orders => Set<OrderRecord>();

    protected override void OnModelCreating(ModelBuilder model) =>
        model.Entity<OrderRecord>(e =>
        {
            e.ToTable("orders");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
            e.HasIndex(x => x.OrderId).IsUnique();
            e.HasIndex(x => new { x.Fifo, x.Status });
        });

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        conventions.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
