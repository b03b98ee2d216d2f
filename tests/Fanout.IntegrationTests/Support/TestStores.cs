using System.Collections.Concurrent;
using Fanout.Fifo;
using Fanout.Orchestrator;
using Fanout.Storage;
using Fanout.Testing.Databases;

namespace Fanout.IntegrationTests.Support;

/// <summary>
/// Where the tests' stores live. By default each test's SQLite files in its directory; under <c>make test-postgres</c>
/// (<see cref="TestPostgres.Variable"/> set) every such file becomes a PostgreSQL database of its own, created on first
/// use, and every orchestrator a test starts gets a second one beside it on the same database
/// (<see cref="OrchestratorsPerDatabase"/>): the same tests then check the shared-database deployment.
/// </summary>
public static class TestStores
{
    static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Databases = new();

    public static bool OnPostgres => TestPostgres.Server is not null;

    /// <summary>Orchestrator processes (or hosts) each test runs per database.</summary>
    public static int OrchestratorsPerDatabase => OnPostgres ? 2 : 1;

    /// <summary>A database setting as the test wrote it (a SQLite file path), or the PostgreSQL database standing for that file.</summary>
    public static string? Resolve(string? setting)
    {
        if (TestPostgres.Server is not { } server || string.IsNullOrEmpty(setting)
            || DatabaseSetting.ProviderOf(setting) == DatabaseProvider.PostgreSql)
            return setting;
        return Databases.GetOrAdd(setting, file => new Lazy<Task<string>>(() =>
            TestPostgres.CreateDatabaseAsync(server, Path.GetFileNameWithoutExtension(file)))).Value.GetAwaiter().GetResult();
    }

    /// <summary>The settings with every store setting resolved (<see cref="Resolve"/>).</summary>
    public static Dictionary<string, string?> ResolveAll(IEnumerable<KeyValuePair<string, string?>> settings) =>
        settings.ToDictionary(s => s.Key, s => IsStore(s.Key) ? Resolve(s.Value) : s.Value);

    static bool IsStore(string key) =>
        key is OrchestratorSettings.DatabaseVariable or FifoSettings.DatabaseVariable
        || key.Equals("Fanout:Orchestrator:Database", StringComparison.OrdinalIgnoreCase)
        || key.Equals("Fanout:Fifo:Database", StringComparison.OrdinalIgnoreCase);
}
