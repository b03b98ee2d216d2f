using Fanout.Tests.Support;
using Microsoft.Data.Sqlite;
using MapRuns = Fanout.Tests.Maps.Maps;

namespace Fanout.Tests.Persistence;

/// <summary>A store file in rollback-journal mode (made so by other tools) is switched to WAL on start.</summary>
public class SqliteJournalModeTests
{
    static string Pragma(string path, string pragma)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task A_store_in_rollback_journal_mode_opens_keeps_its_runs_and_is_switched_to_wal()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string cid;
            await using (var bus = await EmbeddedBus.StartAsync(directory: directory))
            {
                cid = await MapRuns.Start(bus, MapRuns.Run("t.ok", MapRuns.Calls("t.ok", 2), "cb.final1"));
                await MapRuns.FinalPayload(bus, cid);
            }

            var path = Path.Combine(directory, "fanout.db");
            Assert.Equal("delete", Pragma(path, "journal_mode=DELETE"));

            await using (var bus = await EmbeddedBus.StartAsync(directory: directory))
                Assert.Equal(3, (await MapRuns.Status(bus, cid)).FinishedCount);
            Assert.Equal("wal", Pragma(path, "journal_mode"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
}
