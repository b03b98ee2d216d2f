using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fanout.Storage;

/// <summary>
/// WAL lets status reads run beside the writer; synchronous=NORMAL in WAL mode keeps every commit across a
/// process kill (only an OS crash can drop the last commits) at a fraction of the fsync cost.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    /// <summary>
    /// For connections opened read-only (EF Core checks whether the file exists that way before migrating): switching a
    /// file that is not in WAL mode yet would be a write, and fail with "attempt to write a readonly database".
    /// </summary>
    const string ReadOnlyPragmas = "PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Native connections the pragmas were applied to. Microsoft.Data.Sqlite pools native connections and every
    /// logical open fires the interceptor; the pragmas last as long as the native connection, so once is enough.
    /// </summary>
    static readonly ConditionalWeakTable<object, object> Applied = new();

    static readonly object Marker = new();

    /// <summary>
    /// Applies the pragmas to an open connection EF Core does not manage (once per native connection).
    /// </summary>
    public static void Apply(DbConnection connection)
    {
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && Applied.TryGetValue(handle, out _))
            return;
        Run(connection);
        if (handle is not null)
            Applied.AddOrUpdate(handle, Marker);
    }

    static void Run(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            new SqliteConnectionStringBuilder(connection.ConnectionString).Mode == SqliteOpenMode.ReadOnly
            ? ReadOnlyPragmas
            : Pragmas;
        command.ExecuteNonQuery();
    }
}
