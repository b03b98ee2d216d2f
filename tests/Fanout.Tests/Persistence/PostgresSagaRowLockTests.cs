using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Testing.Databases;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fanout.Tests.Persistence;

/// <summary>
/// What lets orchestrator processes share one PostgreSQL database: a saga message's transaction loads its run's row
/// with FOR UPDATE, so a second message of the same CID (another process's) waits for the first to commit and then
/// reads what it wrote; a CID stored by two at once fails one of them on the key, for its retry to find the run.
/// </summary>
[Trait("Database", "PostgreSql")]
public sealed class PostgresSagaRowLockTests : IAsyncLifetime
{
    string _database = "";

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync(TestPostgres.RequiredServer, "fanout_rowlock");
        await using var db = Context();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync() => TestPostgres.DropDatabaseAsync(_database);

    PostgresFanoutDbContext Context()
    {
        var options = new DbContextOptionsBuilder<PostgresFanoutDbContext>();
        FanoutStore.UsePostgres(options, _database);
        return new PostgresFanoutDbContext(options.Options);
    }

    static FanoutSaga Saga(Guid id) => new()
    {
        CorrelationId = id, Cid = "lock-" + id.ToString("N")[..8], CurrentState = "Running", Mode = "fanout", Source = "test",
        RequestedAtUtc = DateTime.UtcNow, DeadlineUtc = DateTime.UtcNow.AddMinutes(5), TargetCount = 3,
    };

    async Task<int> SessionsWaitingOnALock()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_second_message_of_one_cid_waits_for_the_first_and_reads_its_commit()
    {
        var id = Guid.NewGuid();
        await using (var setup = Context())
        {
            setup.Fanouts.Add(Saga(id));
            await setup.SaveChangesAsync();
        }

        await using var firstDb = Context();
        await using var first = new OwnSagaWriteTransaction(firstDb);
        await first.BeginAsync(default);
        var firstSaga = await first.LoadAsync<FanoutSaga>(firstDb, id, default);
        Assert.NotNull(firstSaga);

        await using var secondDb = Context();
        await using var second = new OwnSagaWriteTransaction(secondDb);
        await second.BeginAsync(default);
        var secondLoad = second.LoadAsync<FanoutSaga>(secondDb, id, default);

        await Eventually.Until(SessionsWaitingOnALock, n => n == 1, "the second load to wait on the row lock");
        Assert.False(secondLoad.IsCompleted);

        firstSaga.FinishedCount = 1;
        await first.EnsureAsync(default);
        await firstDb.SaveChangesAsync();
        await first.CommitAsync(default);

        var secondSaga = await secondLoad.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((1, 1), (secondSaga!.FinishedCount, secondSaga.Version));
    }

    [Fact]
    public async Task A_cid_stored_by_two_at_once_fails_the_second_on_its_key()
    {
        var id = Guid.NewGuid();
        await using var firstDb = Context();
        await using var first = new OwnSagaWriteTransaction(firstDb);
        await first.BeginAsync(default);
        Assert.Null(await first.LoadAsync<FanoutSaga>(firstDb, id, default));

        await using var secondDb = Context();
        await using var second = new OwnSagaWriteTransaction(secondDb);
        await second.BeginAsync(default);
        Assert.Null(await second.LoadAsync<FanoutSaga>(secondDb, id, default));

        firstDb.Fanouts.Add(Saga(id));
        await firstDb.SaveChangesAsync();
        secondDb.Fanouts.Add(Saga(id));
        var secondSave = secondDb.SaveChangesAsync();
        await Eventually.Until(SessionsWaitingOnALock, n => n == 1, "the second insert to wait on the first's key");
        await first.CommitAsync(default);

        var conflict = await Assert.ThrowsAsync<DbUpdateException>(() => secondSave);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(conflict.InnerException).SqlState);
    }
}
