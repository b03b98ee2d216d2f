using Fanout.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Fanout.Cli.Rendering;

/// <summary>The runs <c>fanout tail</c> has seen, newest first, with the targets that failed.</summary>
internal sealed class TailBoard(int rows = 30)
{
    readonly Dictionary<string, (FanoutSummary Run, List<string> Failed, DateTime Changed)> _runs =
        new(StringComparer.Ordinal);

    public void Add(FanoutSummary run, DateTime changedAtUtc) =>
        _runs[run.Cid] = (run, _runs.TryGetValue(run.Cid, out var known) ? known.Failed : [], changedAtUtc);

    /// <summary>
    /// Events of one run can arrive out of order (each leaves with its own commit); the newest state wins.
    /// </summary>
    public void Apply(FanoutStateChanged change)
    {
        if (!_runs.TryGetValue(change.Run.Cid, out var known) || known.Changed <= change.ChangedAtUtc)
            Add(change.Run, change.ChangedAtUtc);
        _runs[change.Run.Cid].Failed.AddRange(change.Finished.Where(t => !t.Ok).Select(t => t.Target));
    }

    public IRenderable Render()
    {
        var table = new Table().AddColumns("cid", "mode", "state", "done", "failed targets", "last change");
        foreach (var (run, failed, changed) in _runs.Values.OrderByDescending(r => r.Run.RequestedAtUtc).Take(rows))
            table.AddRow(
                Cells.Escape(run.Cid), run.Mode, FanoutViews.State(run.State), $"{run.FinishedCount}/{run.TargetCount}",
                failed.Count > 0 ? $"[red]{Cells.Escape(string.Join(", ", failed))}[/]"
                : run.FailedCount > 0 ? $"[red]{run.FailedCount}[/]"
                : "",
                Cells.Time(changed));
        table.Caption = new TableTitle(_runs.Count == 0 ? "waiting for runs… (Ctrl-C to stop)" : "Ctrl-C to stop");
        return table;
    }

    public static string Line(FanoutStateChanged change)
    {
        var failed = change.Finished.Where(t => !t.Ok).Select(t => t.Target).ToList();
        return $"{Cells.Time(change.ChangedAtUtc)} {change.Run.Cid} {change.Change} " +
               $"{change.Run.FinishedCount}/{change.Run.TargetCount}"
               + (failed.Count > 0 ? $" failed: {string.Join(", ", failed)}" : "");
    }
}
