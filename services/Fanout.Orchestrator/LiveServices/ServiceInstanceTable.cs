using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fanout.Orchestrator.LiveServices;

/// <summary>
/// The service directory's table in the fan-out store; <c>FanoutDbContext</c> applies it with the other tables of
/// this assembly.
/// </summary>
public sealed class ServiceInstanceTable : IEntityTypeConfiguration<ServiceInstance>
{
    public void Configure(EntityTypeBuilder<ServiceInstance> e)
    {
        e.ToTable("service_instances");
        e.HasKey(x => new { x.Service, x.InstanceId });
        e.HasIndex(x => x.ExpiresAtUtc);
        e.HasIndex(x => x.InstanceId);
        e.Property(x => x.Service).HasMaxLength(256);
        e.Property(x => x.InstanceId).HasMaxLength(64);
        e.Property(x => x.Host).HasMaxLength(256);
        e.Property(x => x.Version).HasMaxLength(128);
    }
}
