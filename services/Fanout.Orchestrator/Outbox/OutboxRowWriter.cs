using Fanout.Orchestrator.Persistence;

namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// Writes a saga message's outbox rows in its transaction with one statement (<c>json_each</c> on SQLite,
/// <c>jsonb_array_elements</c> on PostgreSQL, as
/// <see cref="TargetRowWriter"/> does), instead of EF Core tracking and inserting each row.
/// </summary>
public sealed class OutboxRowWriter(SagaWriteTransaction writeTransaction, SqlDialect dialect)
{
    const string SqliteInsert =
        "INSERT INTO outbox_messages (Id, Cid, Destination, MessageType, Body, CreatedAtUtc) " +
        "SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 FROM json_each(@rows)";

    const string PostgresInsert =
        "INSERT INTO outbox_messages (\"Id\", \"Cid\", \"Destination\", \"MessageType\", \"Body\", \"CreatedAtUtc\") " +
        "SELECT (v->>0)::uuid, v->>1, v->>2, v->>3, v->>4, (v->>5)::timestamp AT TIME ZONE 'UTC' " +
        "FROM jsonb_array_elements(@rows::jsonb) AS v";

    public async Task InsertAsync(IReadOnlyCollection<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        using var command = await writeTransaction
            .CommandAsync(dialect.Pick(SqliteInsert, PostgresInsert), cancellationToken).ConfigureAwait(false);
        JsonRows.AddParameter(command, "@rows", JsonRows.Array(rows, static (w, row) =>
        {
            w.WriteStringValue(JsonRows.Key(row.Id));
            w.WriteStringValue(row.Cid);
            JsonRows.WriteNullable(w, row.Destination);
            w.WriteStringValue(row.MessageType);
            w.WriteStringValue(row.Body);
            w.WriteStringValue(JsonRows.Utc(row.CreatedAtUtc));
        }));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
