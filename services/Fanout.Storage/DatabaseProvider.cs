using Npgsql;

namespace Fanout.Storage;

/// <summary>The two stores a Fanout.Bus database setting can name.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file: the default, one writer process per file.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: several orchestrators and FIFO registries can share it.</summary>
    PostgreSql,
}

/// <summary>
/// Reads a database setting (<c>FANOUT_DATABASE</c>, <c>FANOUT_ORDERS_DATABASE</c>): an Npgsql connection string
/// (<c>Host=...</c>) or a <c>postgres://</c> URL selects PostgreSQL; anything else is a SQLite connection string or
/// file path.
/// </summary>
public static class DatabaseSetting
{
    public static DatabaseProvider ProviderOf(string setting) =>
        IsPostgresUrl(setting) || HasKey(setting, "Host") ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;

    /// <summary>The setting as a SQLite connection string (a plain path becomes <c>Data Source=path</c>).</summary>
    public static string SqliteConnectionString(string setting) =>
        setting.Contains('=') ? setting : $"Data Source={setting}";

    /// <summary>
    /// The setting as an Npgsql connection string (a <c>postgres://user:password@host:port/database</c> URL is
    /// converted).
    /// </summary>
    public static string PostgresConnectionString(string setting)
    {
        if (!IsPostgresUrl(setting))
            return setting;
        var url = new Uri(setting);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')),
        };
        var userInfo = url.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1)
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        return builder.ConnectionString;
    }

    static bool IsPostgresUrl(string setting) =>
        setting.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || setting.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    static bool HasKey(string setting, string key) =>
        setting.Split(';').Any(part =>
            part.Split('=', 2) is [var name, _] && name.Trim().Equals(key, StringComparison.OrdinalIgnoreCase));
}
