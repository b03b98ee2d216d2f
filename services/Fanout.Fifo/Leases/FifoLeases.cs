using Fanout.Fifo.Persistence;
using Fanout.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Fifo.Leases;

/// <summary>
/// The FIFO lines' leases in the order store (<see cref="FifoLeaseRecord"/>), for one holder (this process). A lease is
/// taken only when it is free (released), expired or already this holder's, in one conditional upsert (the same
/// statement on SQLite and PostgreSQL), so two holders never hold one line at once; each acquisition raises the fencing
/// token by one. Renewal and release name the token, so a holder that lost the lease can neither renew nor release it.
/// Every clock read is the <see cref="TimeProvider"/>'s.
/// </summary>
public sealed class FifoLeases(IServiceScopeFactory scopes, DatabaseWriteGate writeGate, TimeProvider time,
    TimeSpan duration, string holder)
{
    /// <summary>How often a standby asks again for a lease someone else holds.</summary>
    public static readonly TimeSpan AcquirePoll = TimeSpan.FromMilliseconds(200);

    public string Holder { get; } = holder;
    public TimeSpan Duration { get; } = duration;
    public TimeProvider Time { get; } = time;

    /// <summary>This process as lease rows name it: unique per process start.</summary>
    public static string ProcessHolder() =>
        $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^24];

    /// <summary>The new fencing token when the lease of <paramref name="fifo"/> was taken, else null.</summary>
    public async Task<long?> TryAcquireAsync(string fifo, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var expires = now + Duration;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        using (await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            var taken = await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO fifo_leases ("Fifo", "Holder", "Token", "ExpiresAtUtc")
                VALUES ({fifo}, {Holder}, 1, {expires})
                ON CONFLICT ("Fifo") DO UPDATE SET "Holder" = excluded."Holder", "Token" = fifo_leases."Token" + 1,
                    "ExpiresAtUtc" = excluded."ExpiresAtUtc"
                WHERE fifo_leases."Holder" IS NULL OR fifo_leases."Holder" = excluded."Holder"
                    OR fifo_leases."ExpiresAtUtc" <= {now}
                """, cancellationToken).ConfigureAwait(false);
            if (taken == 0)
                return null;
        }

        // Nobody else can take it before it expires: the token read now is the one just written.
        return await db.Leases.AsNoTracking().Where(l => l.Fifo == fifo && l.Holder == Holder)
            .Select(l => (long?)l.Token).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the lease of <paramref name="fifo"/> is taken (released by its holder, or expired).
    /// </summary>
    public async Task<long> AcquireAsync(string fifo, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await TryAcquireAsync(fifo, cancellationToken).ConfigureAwait(false) is { } token)
                return token;
            await Task.Delay(AcquirePoll, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Extends the lease by <see cref="Duration"/> from now; false when this holder no longer holds it with
    /// <paramref name="token"/> or it already expired (someone may have taken it: the holder must stop).
    /// </summary>
    public async Task<bool> RenewAsync(string fifo, long token, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var expires = now + Duration;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        using (await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false))
            return await db.Leases
                .Where(l => l.Fifo == fifo && l.Holder == Holder && l.Token == token && l.ExpiresAtUtc > now)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAtUtc, expires), cancellationToken)
                .ConfigureAwait(false) == 1;
    }

    /// <summary>Frees the lease at once, so a standby may take the line without waiting for it to expire.</summary>
    public async Task ReleaseAsync(string fifo, long token, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        using (await writeGate.EnterAsync(cancellationToken).ConfigureAwait(false))
            await db.Leases.Where(l => l.Fifo == fifo && l.Holder == Holder && l.Token == token)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.Holder, (string?)null)
                    .SetProperty(l => l.ExpiresAtUtc, now), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the lease (waiting for it) and keeps it renewed until the returned lease is disposed; its
    /// <see cref="HeldLease.Lost"/> is cancelled once it could not be renewed in time.
    /// </summary>
    public async Task<HeldLease> HoldAsync(string fifo, CancellationToken cancellationToken)
    {
        var token = await AcquireAsync(fifo, cancellationToken).ConfigureAwait(false);
        return HeldLease.Start(this, fifo, token);
    }
}
