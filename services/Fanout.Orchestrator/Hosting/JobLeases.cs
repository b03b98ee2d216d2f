using Fanout.Orchestrator.Persistence;
using Fanout.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Orchestrator.Hosting;

/// <summary>
/// Takes and renews <see cref="Leases.JobLease"/> rows for this process. A lease is taken when it is free, expired
/// or already ours, in one conditional upsert (the same statement on SQLite and PostgreSQL), so two processes can
/// never both hold it; the holder renews it each time it is asked once a third of its time has passed. A holder that
/// dies stops renewing, and another process takes the job over when the lease expires (<see cref="Duration"/>).
/// </summary>
public sealed class JobLeases(IServiceScopeFactory scopes, DatabaseWriteGate writeGate, TimeProvider time)
{
    /// <summary>How long a lease lasts without renewal: the longest a job pauses after its holder died.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    readonly Dictionary<string, DateTime> _heldUntil = [];
    readonly Lock _lock = new();

    /// <summary>This process, as lease rows name it.</summary>
    public string Holder { get; } =
        $"{Environment.ProcessId}/{Guid.NewGuid():N}/{Environment.MachineName}" is var holder && holder.Length > 64
        ? holder[..64]
        : holder;

    /// <summary>
    /// True when this process holds <paramref name="job"/>'s lease now (taking or renewing it if needed).
    /// </summary>
    public async Task<bool> HoldAsync(string job, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_lock)
            if (_heldUntil.TryGetValue(job, out var until) && until - now > Duration * 2 / 3)
                return true;

        var expires = now + Duration;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FanoutDbContext>();
        int taken;
        using (await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false))
            taken = await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO leases ("Name", "Holder", "ExpiresAtUtc") VALUES ({job}, {Holder}, {expires})
                ON CONFLICT ("Name") DO UPDATE SET "Holder" = excluded."Holder", "ExpiresAtUtc" = excluded."ExpiresAtUtc"
                WHERE leases."Holder" = excluded."Holder" OR leases."ExpiresAtUtc" < {now}
                """, cancellationToken).ConfigureAwait(false);

        lock (_lock)
        {
            if (taken > 0)
                _heldUntil[job] = expires;
            else
                _heldUntil.Remove(job);
        }

        return taken > 0;
    }
}
