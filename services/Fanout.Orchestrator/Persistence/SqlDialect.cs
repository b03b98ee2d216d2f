using System.Data.Common;
using Fanout.Storage;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// What differs between the stores in the statements EF Core does not write (<see cref="TargetRowWriter"/>,
/// <c>OutboxRowWriter</c>): each writer holds both forms of a statement side by side and picks one here. Both
/// bind a batch as one JSON parameter (<see cref="JsonRows"/>) and name parameters <c>@name</c>, which both providers
/// take.
/// </summary>
public sealed class SqlDialect(DatabaseProvider provider)
{
    public bool IsPostgres => provider == DatabaseProvider.PostgreSql;

    public string Pick(string sqlite, string postgres) => IsPostgres ? postgres : sqlite;

    /// <summary>A CID's key as the column holds it: <c>uuid</c> on PostgreSQL, upper-case text on SQLite.</summary>
    public object Key(Guid id) => IsPostgres ? id : JsonRows.Key(id);

    /// <summary>A date column read back: <c>timestamptz</c> on PostgreSQL (Kind=Utc), UTC text on SQLite.</summary>
    public DateTime? ReadUtc(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null
        : IsPostgres ? DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(ordinal), DateTimeKind.Utc)
        : JsonRows.ParseUtc(reader.GetString(ordinal));
}
