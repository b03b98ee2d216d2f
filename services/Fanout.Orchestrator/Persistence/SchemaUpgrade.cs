using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Brings a database created by an earlier version up to the current model: EnsureCreated makes new files only,
/// so columns and indexes added since are added here when missing (idempotent). Real migrations come with the
/// PostgreSQL work; until then each addition is one line below.
/// </summary>
internal static class SchemaUpgrade
{
    static readonly (string Table, string Column, string Definition)[] Columns =
    [
        ("target_results", "Service", "TEXT NOT NULL DEFAULT ''"),
        ("target_results", "Attempts", "INTEGER NOT NULL DEFAULT 0"),
        ("target_results", "RetryJson", "TEXT NULL"),
        ("fanouts", "FailFast", "INTEGER NULL"),
        ("fanouts", "Quorum", "INTEGER NULL"),
        ("fanouts", "HasCalls", "INTEGER NOT NULL DEFAULT 0"),
    ];

    static readonly string[] Indexes =
    [
        "CREATE INDEX IF NOT EXISTS \"IX_target_results_CorrelationId_Ordinal\" ON \"target_results\" (\"CorrelationId\", \"Ordinal\")",
    ];

    public static async Task ApplyAsync(FanoutDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (table, column, definition) in Columns)
                if (!await HasColumnAsync(connection, table, column, cancellationToken).ConfigureAwait(false))
                    await ExecuteAsync(connection, $"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {definition}", cancellationToken)
                        .ConfigureAwait(false);
            foreach (var index in Indexes)
                await ExecuteAsync(connection, index, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    static async Task<bool> HasColumnAsync(DbConnection connection, string table, string column, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)) > 0;
    }

    static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
