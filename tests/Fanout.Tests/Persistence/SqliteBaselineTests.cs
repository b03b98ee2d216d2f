using Fanout.Bus.Naming;
using Fanout.Contracts;
using MapRuns = Fanout.Tests.Maps.Maps;
using Fanout.Tests.Support;
using Fanout.Orchestrator.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Tests.Persistence;

/// <summary>
/// A database file written before calls existed and before the store had migrations (the schema of commit 7eac683,
/// made by EnsureCreated: no Service, Attempts, RetryJson, FailFast, Quorum or HasCalls columns, no ordinal index, no
/// migrations history) opened by the current orchestrator: the initializer baselines it, migrates it, the old run
/// still reads, and new runs work on the same file.
/// </summary>
public class SqliteBaselineTests
{
    /// <summary>The DDL EF Core generated for the model at 7eac683 (Persistence/FanoutDbContext.cs and its entities).</summary>
    const string PreviousSchema = """
        CREATE TABLE "fanouts" (
            "CorrelationId" TEXT NOT NULL CONSTRAINT "PK_fanouts" PRIMARY KEY,
            "Cid" TEXT NOT NULL,
            "CurrentState" TEXT NOT NULL,
            "Mode" TEXT NOT NULL,
            "Source" TEXT NOT NULL,
            "RequestedAtUtc" TEXT NOT NULL,
            "DeadlineUtc" TEXT NOT NULL,
            "CompletedAtUtc" TEXT NULL,
            "MaxConcurrency" INTEGER NULL,
            "InvokedCount" INTEGER NOT NULL,
            "OnTarget" TEXT NOT NULL,
            "OnFinal" TEXT NOT NULL,
            "TargetCount" INTEGER NOT NULL,
            "FinishedCount" INTEGER NOT NULL,
            "FailedCount" INTEGER NOT NULL,
            "InvokeMessageId" TEXT NULL,
            "Version" INTEGER NOT NULL
        );
        CREATE TABLE "outbox_messages" (
            "Id" TEXT NOT NULL CONSTRAINT "PK_outbox_messages" PRIMARY KEY,
            "Cid" TEXT NOT NULL,
            "Destination" TEXT NULL,
            "MessageType" TEXT NOT NULL,
            "Body" TEXT NOT NULL,
            "CreatedAtUtc" TEXT NOT NULL
        );
        CREATE TABLE "secrets" (
            "Name" TEXT NOT NULL CONSTRAINT "PK_secrets" PRIMARY KEY,
            "Value" TEXT NOT NULL
        );
        CREATE TABLE "target_results" (
            "CorrelationId" TEXT NOT NULL,
            "Target" TEXT NOT NULL,
            "Ordinal" INTEGER NOT NULL,
            "RequestJson" TEXT NOT NULL,
            "Status" TEXT NOT NULL,
            "InvokedAtUtc" TEXT NULL,
            "Finished" INTEGER NOT NULL,
            "Ok" INTEGER NOT NULL,
            "ResponseJson" TEXT NULL,
            "Exception" TEXT NULL,
            "RespondedAtUtc" TEXT NULL,
            CONSTRAINT "PK_target_results" PRIMARY KEY ("CorrelationId", "Target")
        );
        CREATE UNIQUE INDEX "IX_fanouts_Cid" ON "fanouts" ("Cid");
        CREATE INDEX "IX_fanouts_CurrentState_DeadlineUtc" ON "fanouts" ("CurrentState", "DeadlineUtc");
        CREATE INDEX "IX_fanouts_CurrentState_RequestedAtUtc" ON "fanouts" ("CurrentState", "RequestedAtUtc");
        CREATE INDEX "IX_outbox_messages_CreatedAtUtc" ON "outbox_messages" ("CreatedAtUtc");
        CREATE INDEX "IX_target_results_CorrelationId_Status_Ordinal" ON "target_results" ("CorrelationId", "Status", "Ordinal");
        """;

    /// <param name="journalMode">WAL, as every version of the orchestrator left its files; or another mode, as a file
    /// copied or made by other tools may be.</param>
    static void CreatePreviousDatabase(string path, string cid, string journalMode = "WAL")
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode={journalMode};" + PreviousSchema + """

            INSERT INTO "fanouts" VALUES ($id, $cid, 'Completed', 'fanout', 'old-version', '2026-11-20 10:00:00.1234567',
                '2026-11-20 10:05:00.1234567', '2026-11-20 10:00:01.5', NULL, 2, '[]', '["cb.final1"]', 2, 2, 1, NULL, 3);
            INSERT INTO "target_results" VALUES ($id, 'old.ok', 0, '{"n":1}', 'completed', '2026-11-20 10:00:00.2', 1, 1,
                '{"rows":42}', NULL, '2026-11-20 10:00:01.1');
            INSERT INTO "target_results" VALUES ($id, 'old.boom', 1, 'null', 'completed', '2026-11-20 10:00:00.2', 1, 0,
                NULL, 'System.InvalidOperationException: old failure', '2026-11-20 10:00:01.4');
            """;
        command.Parameters.AddWithValue("$id", CorrelationIds.ToGuid(cid).ToString().ToUpperInvariant());
        command.Parameters.AddWithValue("$cid", cid);
        command.ExecuteNonQuery();
    }

    static List<string> Columns(string path, string table)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}') UNION ALL SELECT name FROM pragma_index_list('{table}')";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    }

    static List<string> AppliedMigrations(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
            ids.Add(reader.GetString(0));
        return ids;
    }

    static List<string> AllMigrations()
    {
        var options = new DbContextOptionsBuilder<SqliteFanoutDbContext>().UseSqlite("Data Source=:memory:").Options;
        using var db = new SqliteFanoutDbContext(options);
        return db.Database.GetMigrations().Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task A_database_of_the_previous_schema_is_baselined_migrated_and_its_runs_still_read()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "fanout.db");
        CreatePreviousDatabase(path, "before-calls");
        Assert.DoesNotContain("Service", Columns(path, "target_results"));

        try
        {
            await using (var bus = await EmbeddedBus.StartAsync(directory: directory))
            {
                Assert.Equal(path, bus.DatabasePath);
                var migrations = AllMigrations();
                Assert.NotEmpty(migrations);
                Assert.Equal(migrations, AppliedMigrations(path));
                var targetColumns = Columns(path, "target_results");
                Assert.All(new[] { "Service", "Attempts", "RetryJson", "IX_target_results_CorrelationId_Ordinal" }, c => Assert.Contains(c, targetColumns));
                Assert.All(new[] { "FailFast", "Quorum", "HasCalls" }, c => Assert.Contains(c, Columns(path, "fanouts")));

                var old = await MapRuns.Status(bus, "before-calls");
                Assert.Equal((FanoutStates.Completed, "old-version", 2, 2, 1), (old.State, old.Source, old.TargetCount, old.FinishedCount, old.FailedCount));
                Assert.Null(old.FailFast);
                Assert.Null(old.Quorum);
                Assert.Equal(["old.ok", "old.boom"], old.Targets.Keys);
                var ok = old.Targets["old.ok"];
                // Rows from before calls have no service column value: the key is the service, as it was then.
                Assert.Equal((TargetStates.Completed, "old.ok", 0), (ok.Status, ok.Service, ok.Attempts));
                // A run of plain targets keeps the reference payload keys: no "service" in its payloads.
                Assert.Equal((true, "old.ok", null, 42), (ok.Result!.Ok, ok.Result.Target, ok.Result.Service, ok.Result.Response!.Value.GetProperty("rows").GetInt32()));
                Assert.Equal(1, ok.Request!.Value.GetProperty("n").GetInt32());
                Assert.Equal("System.InvalidOperationException: old failure", old.Targets["old.boom"].Result!.Exception);
                Assert.Equal(DateTimeKind.Utc, old.RequestedAtUtc.Kind);

                // A run with calls, retries and a policy works on the upgraded file.
                var request = MapRuns.Run("t.ok", MapRuns.Calls("t.ok", 5), "cb.final1") with { Quorum = 6, Retry = new RetryPolicy { Attempts = 2, DelayMs = 10 } };
                var cid = await MapRuns.Start(bus, request);
                var data = (await MapRuns.FinalPayload(bus, cid)).GetProperty("data");
                Assert.Equal(6, data.EnumerateObject().Count(p => p.Value.GetProperty("ok").GetBoolean()));
                var fresh = await MapRuns.Status(bus, cid);
                Assert.Equal((6, 6, 1), (fresh.Quorum, fresh.FinishedCount, fresh.Targets["t.ok#4"].Attempts));
            }

            // A second start on the migrated file changes nothing and reads the same.
            await using (var again = await EmbeddedBus.StartAsync(directory: directory))
                Assert.Equal(["old.ok", "old.boom"], (await MapRuns.Status(again, "before-calls")).Targets.Keys);
            Assert.Equal(AllMigrations(), AppliedMigrations(path));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
    [Fact]
    public async Task A_previous_database_in_rollback_journal_mode_opens_and_is_switched_to_wal()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "fanout.db");
        CreatePreviousDatabase(path, "journal-delete", journalMode: "DELETE");

        try
        {
            await using (var bus = await EmbeddedBus.StartAsync(directory: directory))
                Assert.Equal(["old.ok", "old.boom"], (await MapRuns.Status(bus, "journal-delete")).Targets.Keys);

            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", command.ExecuteScalar());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
}
