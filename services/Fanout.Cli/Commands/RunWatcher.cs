using Fanout.Bus.Waiting;
using Fanout.Cli.Broker;
using Fanout.Cli.Rendering;
using Fanout.Contracts;
using Spectre.Console;

namespace Fanout.Cli.Commands;

/// <summary>
/// Shows one run's progress until it ended (a bar on a terminal, a line per change elsewhere), then reads all its
/// targets a page at a time. The waiting itself is Fanout.Bus's <see cref="RunWaiter"/>: state-change events with a
/// status poll as fallback.
/// </summary>
internal sealed class RunWatcher(CliBus bus, CliConsole console)
{
    /// <summary>Above this many targets the human report shows totals, not a row per target.</summary>
    const int TableLimit = 100;

    public async Task<FanoutStatus> WaitAsync(string cid, int targetCount, CancellationToken cancellationToken)
    {
        if (!console.Interactive)
        {
            await FollowAsync(cid,
                run => console.Human.WriteLine(
                    $"{cid}: {run.FinishedCount}/{targetCount} finished, {run.FailedCount} failed"),
                cancellationToken);
            return await ReadAllAsync(cid, cancellationToken);
        }

        await console.Human.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var bar = progress.AddTask(Cells.Escape(cid), maxValue: targetCount);
            await FollowAsync(cid, run =>
            {
                bar.Value = run.FinishedCount;
                bar.Description = run.FailedCount > 0
                    ? $"{Cells.Escape(cid)} [red]{run.FailedCount} failed[/]"
                    : Cells.Escape(cid);
            }, cancellationToken);
            bar.StopTask();
        });
        return await ReadAllAsync(cid, cancellationToken);
    }

    async Task FollowAsync(string cid, Action<FanoutSummary> progressed, CancellationToken cancellationToken)
    {
        var shown = (-1, -1);
        var progress = new InlineProgress(run =>
        {
            if ((run.FinishedCount, run.FailedCount) == shown)
                return;
            shown = (run.FinishedCount, run.FailedCount);
            progressed(run);
        });
        _ = await bus.Waiter.WaitAsync(cid, Timeout.InfiniteTimeSpan, progress, cancellationToken)
            ?? throw CliException.Failed($"no run with CID '{cid}'");
    }

    /// <summary>The ended run with every target, its pages joined.</summary>
    async Task<FanoutStatus> ReadAllAsync(string cid, CancellationToken cancellationToken)
    {
        var first = await bus.Runs.StatusAsync(cid, 0, RunStatusReader.ResultsPageSize, cancellationToken)
            ?? throw CliException.Failed($"no run with CID '{cid}'");
        if (first.NextTargetsOffset is not { } next)
            return first;
        var targets = new Dictionary<string, TargetStatus>(first.Targets, StringComparer.Ordinal);
        await foreach (var (key, target) in bus.Runs.ReadTargetsAsync(cid, next, cancellationToken))
            targets[key] = target;
        return first with { Targets = targets, NextTargetsOffset = null };
    }

    /// <summary>The fan-in as the final callbacks received it: every target's payload.</summary>
    public static FinalPayload FinalPayloadOf(FanoutStatus run) => new()
    {
        Source = run.Source,
        RequestedAtUtc = run.RequestedAtUtc,
        OnTarget = run.OnTarget,
        OnFinal = run.OnFinal,
        Data = run.Targets.Where(t => t.Value.Result is not null).ToDictionary(t => t.Key, t => t.Value.Result!),
    };

    /// <summary>Prints the ended run; exit 0 when it completed, 1 when it timed out or was cancelled.</summary>
    public static int Report(CliConsole console, FanoutStatus run)
    {
        var payload = FinalPayloadOf(run);
        if (console.Json)
            console.WriteJson(new { cid = run.Cid, state = run.State, final = payload });
        else
        {
            if (run.Targets.Count <= TableLimit)
                console.Human.Write(FanoutViews.Status(run));
            else
                console.Human.Write(new Markup(Cells.Escape(
                    $"{run.Cid} {run.State}: {run.TargetCount} targets, " +
                    $"{run.FinishedCount - run.FailedCount} ok, {run.FailedCount} failed " +
                    $"(fanout status {run.Cid} --json lists the first page of them)")));
            console.Human.WriteLine();
            console.Output.WriteLine(CliConsole.Serialize(payload));
        }

        if (run.State == FanoutStates.Completed)
            return ExitCodes.Ok;
        console.Fail($"run {run.Cid} ended {run.State}");
        return ExitCodes.Failed;
    }

    /// <summary>
    /// Reports on the caller's thread, in order (<see cref="Progress{T}"/> posts to the thread pool).
    /// </summary>
    sealed class InlineProgress(Action<FanoutSummary> report) : IProgress<FanoutSummary>
    {
        public void Report(FanoutSummary value) => report(value);
    }
}
