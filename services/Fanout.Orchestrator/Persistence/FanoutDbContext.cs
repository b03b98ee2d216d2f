using Fanout.Orchestrator.Hosting.Leases;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.Security;
using Fanout.Storage;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Saga state, per-target results and the outbox, in one database so they commit together. The concerns built on this
/// context map their own tables (the outbox's <c>OutboxMessageTable</c>, the service directory's
/// <c>ServiceInstanceTable</c>: every <see cref="IEntityTypeConfiguration{TEntity}"/> of this assembly), so it names
/// none of their types; they read them through <c>Set&lt;T&gt;()</c>. One model, two providers:
/// <see cref="SqliteFanoutDbContext"/> and <see cref="PostgresFanoutDbContext"/> exist so each has migrations of its
/// own (EF Core's "migrations with multiple providers"); the rest of the code asks for this type.
/// </summary>
public abstract class FanoutDbContext : DbContext
{
    /// <summary>Non-generic options: each provider's context passes its own <c>DbContextOptions&lt;T&gt;</c>.</summary>
    protected FanoutDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<FanoutSaga> Fanouts => Set<FanoutSaga>();
    public DbSet<TargetResult> TargetResults => Set<TargetResult>();
    public DbSet<StoredSecret> Secrets => Set<StoredSecret>();
    public DbSet<JobLease> Leases => Set<JobLease>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<FanoutSaga>(e =>
        {
            e.ToTable("fanouts");
            e.HasKey(x => x.CorrelationId);
            e.Property(x => x.CorrelationId).ValueGeneratedNever();
            e.HasIndex(x => x.Cid).IsUnique();
            e.HasIndex(x => new { x.CurrentState, x.RequestedAtUtc });
            e.HasIndex(x => new { x.CurrentState, x.DeadlineUtc });
            // The run list newest first without a state filter, and the overview's windows.
            e.HasIndex(x => x.RequestedAtUtc);
            e.HasIndex(x => x.CompletedAtUtc);
            e.Property(x => x.Cid).HasMaxLength(128);
            e.Property(x => x.CurrentState).HasMaxLength(64);
            // App-managed (bumped in SaveChangesAsync) rather than PostgreSQL's xmin: the same token on both providers.
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        model.Entity<TargetResult>(e =>
        {
            e.ToTable("target_results");
            e.HasKey(x => new { x.CorrelationId, x.Target });
            e.HasIndex(x => new { x.CorrelationId, x.Status, x.Ordinal });
            // Status pages and pending invocations are ordinal ranges.
            e.HasIndex(x => new { x.CorrelationId, x.Ordinal });
        });
        model.Entity<StoredSecret>(e =>
        {
            e.ToTable("secrets");
            e.HasKey(x => x.Name);
        });
        model.Entity<JobLease>(e =>
        {
            e.ToTable("leases");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.Holder).HasMaxLength(64);
        });
        // The outbox's and the service directory's tables, mapped where they are used.
        model.ApplyConfigurationsFromAssembly(typeof(FanoutDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite hands dates back unspecified; Npgsql writes only Kind=Utc to timestamptz: UTC in and out on both.
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        conventions.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <summary>
    /// Bumps the version of every changed saga. Changes are detected once: through the entry, the bump needs no second
    /// scan of what is tracked (listing entries and saving would each detect changes again).
    /// </summary>
    public override async Task<int> SaveChangesAsync(
        bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (detect)
            ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in ChangeTracker.Entries<FanoutSaga>())
                if (entry.State == EntityState.Modified)
                {
                    var version = entry.Property<int>(nameof(FanoutSaga.Version));
                    version.CurrentValue++;
                }

            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }
}

/// <summary>The model on SQLite (the embedded default); migrations in <c>Persistence/Migrations/Sqlite</c>.</summary>
public sealed class SqliteFanoutDbContext(DbContextOptions<SqliteFanoutDbContext> options) : FanoutDbContext(options);

/// <summary>The model on PostgreSQL; migrations in <c>Persistence/Migrations/PostgreSql</c>.</summary>
public sealed class PostgresFanoutDbContext(DbContextOptions<PostgresFanoutDbContext> options)
    : FanoutDbContext(options);
