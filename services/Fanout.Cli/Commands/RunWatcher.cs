using Fanout.Cli.Broker;
using Fanout.Cli.Rendering;
using Fanout.Contracts;
using Spectre.Console;

namespace Fanout.Cli.Commands;

/// <summary>
/// Follows one run to its end from the orchestrator's state-change events, with a progress bar on a terminal and a
/// line per change elsewhere. Asks for the status now and then too, so a lost event cannot leave it waiting.
/// </summary>
internal sealed class RunWatcher(CliBus bus, CliConsole console)
{
    static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(3);

    public async Task<FanoutStatus> WaitAsync(string cid, int targetCount, EventFeed<FanoutStateChanged> feed, CancellationToken cancellationToken)
    {
        if (!console.Interactive)
            return await FollowAsync(cid, feed, (finished, failed) =>
                console.Human.WriteLine($"{cid}: {finished}/{targetCount} finished, {failed} failed"), cancellationToken);

        FanoutStatus? status = null;
        await console.Human.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var bar = progress.AddTask($"{Cells.Escape(cid)}", maxValue: targetCount);
            status = await FollowAsync(cid, feed, (finished, failed) =>
            {
                bar.Value = finished;
                bar.Description = failed > 0 ? $"{Cells.Escape(cid)} [red]{failed} failed[/]" : Cells.Escape(cid);
            }, cancellationToken);
            bar.StopTask();
        });
        return status!;
    }

    async Task<FanoutStatus> FollowAsync(string cid, EventFeed<FanoutStateChanged> feed, Action<int, int> progressed, CancellationToken cancellationToken)
    {
        var shown = (-1, -1);
        while (true)
        {
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            poll.CancelAfter(PollEvery);
            FanoutSummary? run = null;
            try
            {
                while (run is null || run.Cid != cid)
                    run = (await feed.Reader.ReadAsync(poll.Token)).Run;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                run = await StatusAsync(cid, cancellationToken);
            }

            if ((run.FinishedCount, run.FailedCount) != shown)
            {
                shown = (run.FinishedCount, run.FailedCount);
                progressed(run.FinishedCount, run.FailedCount);
            }

            if (run.State != FanoutStates.Running)
                return await StatusAsync(cid, cancellationToken);
        }
    }

    async Task<FanoutStatus> StatusAsync(string cid, CancellationToken cancellationToken)
    {
        var response = await bus.RequestAsync<GetFanoutStatus, FanoutStatus, FanoutNotFound>(new GetFanoutStatus { Cid = cid }, "the orchestrator", cancellationToken);
        return response.Is(out MassTransit.Response<FanoutStatus>? found)
            ? found.Message
            : throw CliException.Failed($"no run with CID '{cid}'");
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
            console.Human.Write(FanoutViews.Status(run));
            console.Human.WriteLine();
            console.Output.WriteLine(CliConsole.Serialize(payload));
        }

        if (run.State == FanoutStates.Completed)
            return ExitCodes.Ok;
        console.Fail($"run {run.Cid} ended {run.State}");
        return ExitCodes.Failed;
    }
}
