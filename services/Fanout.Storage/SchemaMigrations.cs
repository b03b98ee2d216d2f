using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Fanout.Storage;

/// <summary>
/// Applies a store's pending EF Core migrations at start. On PostgreSQL several processes start on one database at once
/// (orchestrators, FIFO registries): they take turns on a session advisory lock (one key per store), and the history
/// table is created up front with IF NOT EXISTS. EF Core's own migrations lock alone let two processes apply the
/// second of two migrations both, and its first look at a missing history table logs a failed query. On SQLite (one
/// writer per file) EF Core's lock row is enough, and it is taken only when something is pending: a process killed
/// while holding it leaves the row behind.
/// </summary>
public static class SchemaMigrations
{
    public static async Task ApplyPendingAsync(DbContext db, long lockKey, CancellationToken cancellationToken)
    {
        await using var turn = db.Database.IsNpgsql()
            ? await TakeTurnAsync(db, lockKey, cancellationToken).ConfigureAwait(false)
            : null;
        if (turn is not null)
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(),
                cancellationToken).ConfigureAwait(false);
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).Any())
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the store's advisory lock on a connection of its own (unpooled: closing it releases the lock).
    /// </summary>
    static async Task<NpgsqlConnection> TakeTurnAsync(DbContext db, long lockKey, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", lockKey);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
