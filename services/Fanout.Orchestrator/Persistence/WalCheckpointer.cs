using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Copies the WAL back into the database file outside the write path. SQLite's automatic checkpoint runs inside the
/// COMMIT that crosses its threshold, that is inside the write gate, and every writer behind it waits for the copy
/// and its fsync; the saga's write connection turns it off (<see cref="SagaWriteGroup"/>) and this checkpoints
/// passively (beside writers and readers, never blocking them) once a second after groups committed.
/// </summary>
public sealed class WalCheckpointer(
    SagaWriteGroup group, OrchestratorSettings settings, ILogger<WalCheckpointer> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var checkpointed = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
            var commits = group.Commits;
            if (commits == checkpointed)
                continue;
            try
            {
                await using var connection = new SqliteConnection(settings.SqliteConnectionString);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                await command.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                checkpointed = commits;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "WAL checkpoint failed; retrying in {Interval}", Interval);
            }
        }
    }
}
