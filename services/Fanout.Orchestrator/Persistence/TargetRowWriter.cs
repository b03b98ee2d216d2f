using System.Data.Common;
using Fanout.Orchestrator.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// Writes target rows with one prepared command per batch, on the saga's connection and inside its transaction, so
/// they commit with the saga change. EF Core's per-entity tracking costs ~20× more than SQLite itself for thousands
/// of rows (DESIGN §4); rows written here are never tracked, so EF does not write them again.
/// Values are bound as EF Core's SQLite provider stores them: Guid as upper-case text, DateTime as UTC text.
/// </summary>
public sealed class TargetRowWriter(FanoutDbContext dbContext)
{
    const string Insert =
        "INSERT INTO target_results (CorrelationId, Target, Service, Ordinal, RequestJson, RetryJson, Status, InvokedAtUtc, " +
        "Finished, Ok, Attempts, ResponseJson, Exception, RespondedAtUtc) VALUES " +
        "($cid, $target, $service, $ordinal, $request, $retry, $status, $invoked, 0, 0, 0, NULL, NULL, NULL)";

    const string UpdateOutcome =
        "UPDATE target_results SET Status = $status, Finished = 1, Ok = $ok, Attempts = $attempts, ResponseJson = $response, " +
        "Exception = $exception, RespondedAtUtc = $responded WHERE CorrelationId = $cid AND Target = $target";

    public Task InsertAsync(IReadOnlyCollection<TargetResult> rows, CancellationToken cancellationToken) =>
        ExecuteAsync(Insert, rows, (p, row) =>
        {
            p["$cid"].Value = Key(row.CorrelationId);
            p["$target"].Value = row.Target;
            p["$service"].Value = row.Service;
            p["$ordinal"].Value = row.Ordinal;
            p["$request"].Value = row.RequestJson;
            p["$retry"].Value = (object?)row.RetryJson ?? DBNull.Value;
            p["$status"].Value = row.Status;
            p["$invoked"].Value = Utc(row.InvokedAtUtc);
        }, cancellationToken);

    /// <summary>Stores the outcome fields of rows recorded in memory (see <c>ResultRecorder</c>).</summary>
    public Task UpdateOutcomesAsync(IReadOnlyCollection<TargetResult> rows, CancellationToken cancellationToken) =>
        ExecuteAsync(UpdateOutcome, rows, (p, row) =>
        {
            p["$cid"].Value = Key(row.CorrelationId);
            p["$target"].Value = row.Target;
            p["$status"].Value = row.Status;
            p["$ok"].Value = row.Ok;
            p["$attempts"].Value = row.Attempts;
            p["$response"].Value = (object?)row.ResponseJson ?? DBNull.Value;
            p["$exception"].Value = (object?)row.Exception ?? DBNull.Value;
            p["$responded"].Value = Utc(row.RespondedAtUtc);
        }, cancellationToken);

    /// <remarks>
    /// Executes synchronously: Microsoft.Data.Sqlite's async methods run synchronously anyway, and their per-call
    /// overhead is most of the cost of a one-row statement.
    /// </remarks>
    Task ExecuteAsync(string sql, IReadOnlyCollection<TargetResult> rows, Action<Parameters, TargetResult> bind,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return Task.CompletedTask;
        var transaction = dbContext.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Target rows are written inside the saga's transaction only.");
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var parameters = new Parameters();
        foreach (var name in ParameterNames(sql))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            parameters.Add(name, parameter);
        }

        command.Prepare();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bind(parameters, row);
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    /// <summary>The command's parameters by name, without the collection's linear lookup per value.</summary>
    sealed class Parameters : Dictionary<string, DbParameter>;

    static IEnumerable<string> ParameterNames(string sql) =>
        System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z]+").Select(m => m.Value).Distinct();

    static string Key(Guid id) => id.ToString().ToUpperInvariant();

    static object Utc(DateTime? value) =>
        value is { } v ? (v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime()) : DBNull.Value;
}
