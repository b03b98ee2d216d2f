using System.Data.Common;
using System.Text.Json;
using Fanout.Orchestrator.Runs;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Writes target rows in bulk on the saga's connection and inside its transaction, so they commit with the saga change.
/// A batch travels as one JSON array parameter that SQLite unpacks with <c>json_each</c>: one statement and one bound
/// value per batch, instead of one statement and a dozen bound values per row (Microsoft.Data.Sqlite's per-statement
/// and per-parameter overhead was ~30–45 µs a row; SQLite itself needs a few). Rows written here are never tracked,
/// so EF does not write them again. Values are stored as EF Core's SQLite provider stores them
/// (<see cref="JsonRows"/>).
/// PostgreSQL unpacks the same JSON with <c>jsonb_array_elements</c> and casts each value to its column's type.
/// </summary>
public sealed class TargetRowWriter(SagaWriteTransaction writeTransaction, SqlDialect dialect)
{
    /// <summary>Rows per statement: bounds the JSON text held at once for very large runs.</summary>
    const int RowsPerStatement = 5000;

    const string SqliteInsert =
        "INSERT INTO target_results (CorrelationId, Target, Service, Ordinal, RequestJson, RetryJson, Status, " +
        "InvokedAtUtc, Finished, Ok, Attempts, ResponseJson, Exception, RespondedAtUtc) " +
        "SELECT @cid, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, " +
        "0, 0, 0, NULL, NULL, NULL " +
        "FROM json_each(@rows)";

    // Npgsql keeps the model's upper-case names: quoted. Dates travel as UTC text without a zone, read as UTC.
    const string PostgresInsert =
        "INSERT INTO target_results (\"CorrelationId\", \"Target\", \"Service\", \"Ordinal\", \"RequestJson\", " +
        "\"RetryJson\", \"Status\", \"InvokedAtUtc\", \"Finished\", \"Ok\", \"Attempts\", \"ResponseJson\", " +
        "\"Exception\", \"RespondedAtUtc\") " +
        "SELECT @cid, v->>0, v->>1, (v->>2)::int, v->>3, v->>4, v->>5, (v->>6)::timestamp AT TIME ZONE 'UTC', " +
        "false, false, 0, NULL, NULL, NULL " +
        "FROM jsonb_array_elements(@rows::jsonb) AS v";

    // json_each drives the loop and each key finds its row through the primary key (rowid lookup): a plain
    // UPDATE ... FROM json_each lets SQLite scan the run's rows once per batch entry (quadratic).
    const string SqliteOutcomes =
        "UPDATE target_results SET Status = j.v->>1, Finished = 1, Ok = j.v->>2, Attempts = j.v->>3, " +
        "ResponseJson = j.v->>4, Exception = j.v->>5, RespondedAtUtc = j.v->>6 " +
        "FROM (SELECT (SELECT rowid FROM target_results WHERE CorrelationId = @cid AND Target = value->>0) AS r, " +
        "value AS v " +
        "FROM json_each(@rows)) AS j WHERE target_results.rowid = j.r";

    const string SqliteFirstOutcomes =
        SqliteOutcomes + " AND target_results.Finished = 0 RETURNING Target, Service, Ordinal, InvokedAtUtc";

    // PostgreSQL's planner joins the batch to the rows through the primary key by itself.
    const string PostgresOutcomes =
        "UPDATE target_results AS t SET \"Status\" = j.v->>1, \"Finished\" = true, \"Ok\" = (j.v->>2)::int <> 0, " +
        "\"Attempts\" = (j.v->>3)::int, \"ResponseJson\" = j.v->>4, \"Exception\" = j.v->>5, " +
        "\"RespondedAtUtc\" = (j.v->>6)::timestamp AT TIME ZONE 'UTC' " +
        "FROM jsonb_array_elements(@rows::jsonb) AS j(v) WHERE t.\"CorrelationId\" = @cid AND t.\"Target\" = j.v->>0";

    const string PostgresFirstOutcomes = PostgresOutcomes +
        " AND t.\"Finished\" = false RETURNING t.\"Target\", t.\"Service\", t.\"Ordinal\", t.\"InvokedAtUtc\"";

    string Insert => dialect.Pick(SqliteInsert, PostgresInsert);
    string Outcomes => dialect.Pick(SqliteOutcomes, PostgresOutcomes);
    string FirstOutcomes => dialect.Pick(SqliteFirstOutcomes, PostgresFirstOutcomes);

    public async Task InsertAsync(IReadOnlyCollection<TargetResult> rows, CancellationToken cancellationToken)
    {
        foreach (var group in rows.GroupBy(r => r.CorrelationId))
        foreach (var chunk in group.Chunk(RowsPerStatement))
        {
            using var command = await Command(Insert, group.Key, JsonRows.Array(chunk, static (w, row) =>
            {
                w.WriteStringValue(row.Target);
                w.WriteStringValue(row.Service);
                w.WriteNumberValue(row.Ordinal);
                w.WriteStringValue(row.RequestJson);
                JsonRows.WriteNullable(w, row.RetryJson);
                w.WriteStringValue(row.Status);
                JsonRows.WriteNullable(w, JsonRows.Utc(row.InvokedAtUtc));
            }), cancellationToken).ConfigureAwait(false);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores the outcome fields of rows recorded in memory (see <c>ResultRecorder</c>).</summary>
    public async Task UpdateOutcomesAsync(IReadOnlyCollection<TargetResult> rows, CancellationToken cancellationToken)
    {
        foreach (var group in rows.GroupBy(r => r.CorrelationId))
        foreach (var chunk in group.Chunk(RowsPerStatement))
        {
            using var command = await Command(
                Outcomes, group.Key, JsonRows.Array(chunk, WriteOutcome), cancellationToken).ConfigureAwait(false);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores each outcome whose row is not finished yet (the first result per key wins; keys must be distinct) and
    /// fills in the stored fields of the rows it wrote. Returns the rows written; the others were finished already or
    /// do not exist.
    /// </summary>
    public async Task<List<TargetResult>> RecordFirstOutcomesAsync(
        Guid correlationId, IReadOnlyList<TargetResult> outcomes, CancellationToken cancellationToken)
    {
        var byKey = outcomes.ToDictionary(o => o.Target, StringComparer.Ordinal);
        var written = new List<TargetResult>(outcomes.Count);
        foreach (var chunk in outcomes.Chunk(RowsPerStatement))
        {
            using var command = await Command(
                    FirstOutcomes, correlationId, JsonRows.Array(chunk, WriteOutcome), cancellationToken)
                .ConfigureAwait(false);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = byKey[reader.GetString(0)];
                row.Service = reader.GetString(1);
                row.Ordinal = reader.GetInt32(2);
                row.InvokedAtUtc = dialect.ReadUtc(reader, 3);
                written.Add(row);
            }
        }

        // RETURNING lists rows in no promised order: keep the batch's.
        var order = outcomes.Select((o, i) => (o, i)).ToDictionary(x => x.o, x => x.i);
        written.Sort((a, b) => order[a].CompareTo(order[b]));
        return written;
    }

    static void WriteOutcome(Utf8JsonWriter w, TargetResult row)
    {
        w.WriteStringValue(row.Target);
        w.WriteStringValue(row.Status);
        w.WriteNumberValue(row.Ok ? 1 : 0);
        w.WriteNumberValue(row.Attempts);
        JsonRows.WriteNullable(w, row.ResponseJson);
        JsonRows.WriteNullable(w, row.Exception);
        JsonRows.WriteNullable(w, JsonRows.Utc(row.RespondedAtUtc));
    }

    async Task<DbCommand> Command(string sql, Guid correlationId, string rows, CancellationToken cancellationToken)
    {
        var command = await writeTransaction.CommandAsync(sql, cancellationToken).ConfigureAwait(false);
        JsonRows.AddParameter(command, "@cid", dialect.Key(correlationId));
        JsonRows.AddParameter(command, "@rows", rows);
        return command;
    }
}
