using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Fanout.Orchestrator.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Writes target rows in bulk on the saga's connection and inside its transaction, so they commit with the saga
/// change. A batch travels as one JSON array parameter that SQLite unpacks with <c>json_each</c>: one statement and
/// one bound value per batch, instead of one statement and a dozen bound values per row (Microsoft.Data.Sqlite's
/// per-statement and per-parameter overhead was ~30–45 µs a row; SQLite itself needs a few). Rows written here are
/// never tracked, so EF does not write them again. Values are stored as EF Core's SQLite provider stores them:
/// Guid as upper-case text, DateTime as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> UTC text.
/// </summary>
public sealed class TargetRowWriter(FanoutDbContext dbContext, SagaWriteTransaction writeTransaction)
{
    /// <summary>Rows per statement: bounds the JSON text held at once for very large runs.</summary>
    const int RowsPerStatement = 5000;

    const string Insert =
        "INSERT INTO target_results (CorrelationId, Target, Service, Ordinal, RequestJson, RetryJson, Status, InvokedAtUtc, " +
        "Finished, Ok, Attempts, ResponseJson, Exception, RespondedAtUtc) " +
        "SELECT $cid, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, 0, 0, 0, NULL, NULL, NULL " +
        "FROM json_each($rows)";

    // json_each drives the loop and each key finds its row through the primary key (rowid lookup): a plain
    // UPDATE ... FROM json_each lets SQLite scan the run's rows once per batch entry (quadratic).
    const string Outcomes =
        "UPDATE target_results SET Status = j.v->>1, Finished = 1, Ok = j.v->>2, Attempts = j.v->>3, ResponseJson = j.v->>4, " +
        "Exception = j.v->>5, RespondedAtUtc = j.v->>6 " +
        "FROM (SELECT (SELECT rowid FROM target_results WHERE CorrelationId = $cid AND Target = value->>0) AS r, value AS v " +
        "FROM json_each($rows)) AS j WHERE target_results.rowid = j.r";

    const string FirstOutcomes = Outcomes + " AND target_results.Finished = 0 RETURNING Target, Service, Ordinal, InvokedAtUtc";

    public async Task InsertAsync(IReadOnlyCollection<TargetResult> rows, CancellationToken cancellationToken)
    {
        foreach (var group in rows.GroupBy(r => r.CorrelationId))
        foreach (var chunk in group.Chunk(RowsPerStatement))
        {
            using var command = await Command(Insert, group.Key, Json(chunk, static (w, row) =>
            {
                w.WriteStringValue(row.Target);
                w.WriteStringValue(row.Service);
                w.WriteNumberValue(row.Ordinal);
                w.WriteStringValue(row.RequestJson);
                WriteNullable(w, row.RetryJson);
                w.WriteStringValue(row.Status);
                WriteNullable(w, Utc(row.InvokedAtUtc));
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
            using var command = await Command(Outcomes, group.Key, Json(chunk, WriteOutcome), cancellationToken).ConfigureAwait(false);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores each outcome whose row is not finished yet (the first result per key wins; keys must be distinct) and
    /// fills in the stored fields of the rows it wrote. Returns the rows written; the others were finished already or
    /// do not exist.
    /// </summary>
    public async Task<List<TargetResult>> RecordFirstOutcomesAsync(Guid correlationId, IReadOnlyList<TargetResult> outcomes,
        CancellationToken cancellationToken)
    {
        var byKey = outcomes.ToDictionary(o => o.Target, StringComparer.Ordinal);
        var written = new List<TargetResult>(outcomes.Count);
        foreach (var chunk in outcomes.Chunk(RowsPerStatement))
        {
            using var command = await Command(FirstOutcomes, correlationId, Json(chunk, WriteOutcome), cancellationToken).ConfigureAwait(false);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = byKey[reader.GetString(0)];
                row.Service = reader.GetString(1);
                row.Ordinal = reader.GetInt32(2);
                row.InvokedAtUtc = reader.IsDBNull(3) ? null : ParseUtc(reader.GetString(3));
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
        WriteNullable(w, row.ResponseJson);
        WriteNullable(w, row.Exception);
        WriteNullable(w, Utc(row.RespondedAtUtc));
    }

    async Task<DbCommand> Command(string sql, Guid correlationId, string rows, CancellationToken cancellationToken)
    {
        await writeTransaction.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var transaction = dbContext.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Target rows are written inside the saga's transaction only.");
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        Add(command, "$cid", Key(correlationId));
        Add(command, "$rows", rows);
        return command;
    }

    static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>The rows as a JSON array of arrays, one inner array per row.</summary>
    static string Json(IEnumerable<TargetResult> rows, Action<Utf8JsonWriter, TargetResult> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartArray();
                write(writer, row);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(value);
    }

    static string Key(Guid id) => id.ToString().ToUpperInvariant();

    /// <summary>As Microsoft.Data.Sqlite binds a DateTime (what EF Core reads back).</summary>
    const string DateFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    static string? Utc(DateTime? value) =>
        value is { } v ? (v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime()).ToString(DateFormat, CultureInfo.InvariantCulture) : null;

    static DateTime ParseUtc(string text) =>
        DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            DateTimeKind.Utc);
}
