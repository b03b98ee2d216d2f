namespace Fanout.Orchestrator;

/// <summary>Bound from <c>Fanout:Orchestrator</c>; the database also comes from <c>FANOUT_DATABASE</c>.</summary>
public sealed class OrchestratorSettings
{
    public const string Section = "Fanout:Orchestrator";
    public const string DatabaseVariable = "FANOUT_DATABASE";

    /// <summary>A SQLite connection string, or a plain file path.</summary>
    public string Database { get; set; } = "Data Source=fanout.db";

    /// <summary>Saga messages handled at once (different CIDs; one CID is always one at a time).</summary>
    public int SagaConcurrency { get; set; } = 16;

    /// <summary>Completions per saga write.</summary>
    public int CompletionBatchSize { get; set; } = 200;

    public string SqliteConnectionString =>
        Database.Contains('=') ? Database : $"Data Source={Database}";
}
