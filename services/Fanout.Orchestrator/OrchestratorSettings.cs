using Fanout.Storage;

namespace Fanout.Orchestrator;

/// <summary>Bound from <c>Fanout:Orchestrator</c>; the database also comes from <c>FANOUT_DATABASE</c>.</summary>
public sealed class OrchestratorSettings
{
    public const string Section = "Fanout:Orchestrator";
    public const string DatabaseVariable = "FANOUT_DATABASE";
    public const string SecretVariable = "FANOUT_COMPLETION_SECRET";

    /// <summary>
    /// A SQLite connection string or plain file path (the embedded default), or a PostgreSQL one: an Npgsql connection
    /// string (<c>Host=...</c>) or a <c>postgres://</c> URL.
    /// </summary>
    public string Database { get; set; } = "Data Source=fanout.db";

    /// <summary>Saga messages handled at once (different CIDs; one CID is always one at a time).</summary>
    public int SagaConcurrency { get; set; } = 16;

    /// <summary>Completions per saga write.</summary>
    public int CompletionBatchSize { get; set; } = 200;

    /// <summary>
    /// At most this many calls per <c>InvokeCalls</c> message (calls of one run to one service travel together), and
    /// per <c>InvokeCallsForRuns</c> (the chunks of several runs to one service delivered together).
    /// </summary>
    public int CallsPerMessage { get; set; } = 200;

    /// <summary>
    /// Runs with more targets than this hand final callbacks a <c>data_ref</c> to read in pages instead of inline
    /// <c>data</c>.
    /// </summary>
    public int InlineResultsLimit { get; set; } = 1000;

    /// <summary>Default and largest page of targets in a status answer (<c>targets_limit</c>).</summary>
    public int MaxStatusPage { get; set; } = 1000;

    /// <summary>Deadline of runs that do not set <c>deadline_ms</c>.</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Base URL of the gateway, for the <c>callback_url</c> handed to targets that finish later.</summary>
    public string GatewayUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Key of the completion tokens (also <c>FANOUT_COMPLETION_SECRET</c>); generated and stored in the database when
    /// empty.
    /// </summary>
    public string? CompletionSecret { get; set; }

    /// <summary>How long finished runs stay queryable before they are purged.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often deadlines are checked.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Which store <see cref="Database"/> names.</summary>
    public DatabaseProvider Provider => DatabaseSetting.ProviderOf(Database);

    public string SqliteConnectionString => DatabaseSetting.SqliteConnectionString(Database);

    public string PostgresConnectionString => DatabaseSetting.PostgresConnectionString(Database);
}
