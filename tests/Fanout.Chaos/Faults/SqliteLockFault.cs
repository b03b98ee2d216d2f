using Fanout.Testing.Processes;
using Fanout.Chaos.Deployment;

namespace Fanout.Chaos.Faults;

/// <summary>
/// Another writer holds the orchestrator's SQLite file for a few seconds (<c>BEGIN IMMEDIATE</c> from python3's sqlite3,
/// as a backup job or an operator's shell might): the orchestrator's writes find the database locked meanwhile.
/// </summary>
public sealed class SqliteLockFault : IFault
{
    static readonly TimeSpan Held = TimeSpan.FromSeconds(5);

    const string HoldLock = """
        import sqlite3, sys, time
        db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        time.sleep(float(sys.argv[2]))
        db.execute("ROLLBACK")
        """;

    public string Name => "sqlite-lock";

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        await ScriptRunner.RunAsync("python3", ["-c", HoldLock, context.Paths.Database, Held.TotalSeconds.ToString("0")], cancellationToken);
        return $"BEGIN IMMEDIATE held {Held.TotalSeconds:0} s on fanout.db";
    }
}
