using Fanout.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Fanout.Cli.Rendering;

/// <summary>How runs look to a person: one run in detail, a list, the live tail.</summary>
internal static class FanoutViews
{
    public static IRenderable Status(FanoutStatus run)
    {
        var header = new Grid().AddColumn().AddColumn();
        header.AddRow("[bold]cid[/]", Cells.Escape(run.Cid));
        header.AddRow("[bold]mode[/]", run.Mode);
        header.AddRow("[bold]state[/]", State(run.State));
        header.AddRow("[bold]source[/]", Cells.Escape(run.Source));
        header.AddRow("[bold]requested[/]", Cells.Time(run.RequestedAtUtc));
        header.AddRow("[bold]deadline[/]", Cells.Time(run.DeadlineUtc));
        header.AddRow("[bold]finished[/]", Cells.Time(run.FinishedAtUtc));
        foreach (var warning in run.Warnings ?? [])
            header.AddRow("[bold yellow]warning[/]", $"[yellow]{Cells.Escape(warning)}[/]");

        var targets = new Table().AddColumns("target", "status", "ok", "attempts", "duration", "error");
        foreach (var (name, target) in run.Targets)
        {
            var result = target.Result;
            var duration = result is not null && target.InvokedAtUtc is { } invoked
                ? (result.RespondedAtUtc - invoked).TotalMilliseconds
                : (double?)null;
            targets.AddRow(
                Cells.Escape(name),
                target.Status,
                result is null ? "-" : result.Ok ? "[green]yes[/]" : "[red]no[/]",
                target.Attempts > 0 ? target.Attempts.ToString() : "-",
                Cells.Duration(duration),
                result is { Ok: false } ? $"[red]{Cells.Escape(Cells.Short(result.Exception))}[/]" : "");
        }

        var unfinished = run.TargetCount - run.FinishedCount;
        var totals = $"{run.TargetCount} targets: {run.FinishedCount - run.FailedCount} ok, " +
            $"{run.FailedCount} failed, {unfinished} unfinished";
        if (run.NextTargetsOffset is { } next)
            totals += $"; shown {run.TargetsOffset}..{next - 1}, more with --offset {next}";
        var callbacks = run.Mode == InvocationMode.Parallel
            ? $"callbacks after each target: {Names(run.OnTarget)}"
            : $"final callbacks: {Names(run.OnFinal)} ({run.FinalCallbacks})"
              + (run.OnTarget.Count > 0 ? $"; per-target callbacks: {Names(run.OnTarget)}" : "");
        return new Rows(header, targets, new Markup(Cells.Escape(totals)), new Markup(Cells.Escape(callbacks)));
    }

    public static IRenderable List(IEnumerable<FanoutSummary> runs)
    {
        var table = new Table().AddColumns("cid", "mode", "state", "done", "failed", "requested", "finished");
        foreach (var run in runs)
            table.AddRow(Cells.Escape(run.Cid), run.Mode, State(run.State), $"{run.FinishedCount}/{run.TargetCount}",
                run.FailedCount > 0 ? $"[red]{run.FailedCount}[/]" : "0", Cells.Time(run.RequestedAtUtc),
                Cells.Time(run.FinishedAtUtc));
        return table;
    }

    public static string State(string state) => state switch
    {
        FanoutStates.Running => "[yellow]running[/]",
        FanoutStates.Completed => "[green]completed[/]",
        FanoutStates.TimedOut => "[red]timed_out[/]",
        FanoutStates.Cancelled => "[grey]cancelled[/]",
        _ => Cells.Escape(state),
    };

    static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
