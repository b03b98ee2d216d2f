using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// SQLite files made before the store had migrations (by <c>EnsureCreated</c>, with no <c>__EFMigrationsHistory</c>):
/// brings them to the initial migration's shape — the columns and index added to the model since files were first
/// made, when missing — and records that migration as applied, so <c>MigrateAsync</c> continues from there with the
/// data in place. Files made since have a history and are left alone.
/// </summary>
internal static class SqliteBaseline
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
            var history = db.GetService<IHistoryRepository>();
            if (await history.ExistsAsync(cancellationToken).ConfigureAwait(false)
                || !await HasTableAsync(connection, "fanouts", cancellationToken).ConfigureAwait(false))
                return;

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (table, column, definition) in Columns)
                if (!await HasColumnAsync(connection, table, column, cancellationToken).ConfigureAwait(false))
                    await ExecuteAsync(connection, $"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {definition}", cancellationToken)
                        .ConfigureAwait(false);
            foreach (var index in Indexes)
                await ExecuteAsync(connection, index, cancellationToken).ConfigureAwait(false);

            var initial = db.Database.GetMigrations().First();
            await ExecuteAsync(connection, history.GetCreateIfNotExistsScript(), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, history.GetInsertScript(new HistoryRow(initial, ProductInfo.GetVersion())), cancellationToken)
                .ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    static async Task<bool> HasTableAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)) > 0;
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
