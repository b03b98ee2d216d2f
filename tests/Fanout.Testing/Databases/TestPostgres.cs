using Npgsql;

namespace Fanout.Testing.Databases;

/// <summary>
/// The PostgreSQL server the tests may use: <c>FANOUT_TEST_POSTGRES</c> holds its Npgsql connection string with no
/// database (<c>make test-postgres</c> sets it, from <c>compose/ensure-postgres.sh</c>). Each test gets a database of its own.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "FANOUT_TEST_POSTGRES";

    /// <summary>The server, or null when the tests run on the embedded SQLite default.</summary>
    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server ? server : null;

    /// <summary>The server, for tests that only make sense on PostgreSQL: they fail, not skip, without one.</summary>
    public static string RequiredServer => Server ?? throw new InvalidOperationException(
        $"{Variable} is not set: this test needs PostgreSQL. Run it through `make test-postgres`, which starts one.");

    /// <summary>Creates an empty database named after <paramref name="purpose"/> and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string server, string purpose)
    {
        var name = $"{Sanitize(purpose)}_{Guid.NewGuid():N}"[..Math.Min(63, Sanitize(purpose).Length + 33)];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Drops the database <paramref name="database"/> (a connection string from <see cref="CreateDatabaseAsync"/>), ending
    /// any session still on it; the pools are cleared first so this process holds none.
    /// </summary>
    public static async Task DropDatabaseAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(RequiredServer);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(database).Database}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }

    static string Sanitize(string purpose)
    {
        var clean = new string(purpose.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return clean.Length > 24 ? clean[..24] : clean;
    }
}
