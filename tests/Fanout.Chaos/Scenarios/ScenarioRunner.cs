using System.Diagnostics;
using Fanout.Chaos.Faults;
using Fanout.Chaos.Ledger;
using Fanout.Chaos.Load;
using Fanout.Chaos.Reporting;
using Fanout.Testing;

namespace Fanout.Chaos.Scenarios;

/// <summary>
/// One scenario: the load starts; when a random share (15–60 %) of its fan-outs has been accepted the fault is injected;
/// recovery is the time from the fault until every endpoint consumes again and the gateway's health check is 200; then
/// every accepted run and order must finish within the drain limit after the fault ended, and the ledger is counted.
/// </summary>
public sealed class ScenarioRunner(ChaosContext context, HarnessClient client, HttpClient gateway, Recovery recovery)
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public async Task<ScenarioRow> RunAsync(IFault fault, CancellationToken cancellationToken)
    {
        var options = context.Options;
        ChaosContext.Progress($"{fault.Name}: load of {options.Fanouts} fan-outs x 10 + {options.Orders} orders");
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var load = LoadRun.Start(fault.Name, options.Fanouts, options.Orders, client, gateway, drain.Token);

        var share = 0.15 + context.Random.NextDouble() * 0.45;
        while (load.AcceptedRunCount < share * options.Fanouts && !load.Submitted.IsCompleted)
            await Task.Delay(50, cancellationToken);

        ChaosContext.Progress($"{fault.Name}: injecting at {load.AcceptedRunCount}/{options.Fanouts} accepted");
        var clock = Stopwatch.StartNew();
        var what = await fault.InjectAsync(context, cancellationToken);
        var faultOver = clock.Elapsed;
        // The drain limit counts from the fault's end, so a long broker outage leaves the same time to finish.
        drain.CancelAfter(options.DrainLimit);

        var (recovered, stillMissing) = await WaitRecoveredAsync(faultOver + options.RecoveryLimit, clock, cancellationToken);
        var recoverSeconds = recovered ? clock.Elapsed.TotalSeconds : (double?)null;
        ChaosContext.Progress($"{fault.Name}: {(recovered ? $"recovered after {recoverSeconds:0.0} s" : "NOT recovered: " + string.Join(", ", stillMissing))}");

        try
        {
            await load.Submitted;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Submissions still failing at the drain limit: what was accepted is counted.
        }

        var (tally, ordersDone) = await WaitDrainedAsync(load, drain.Token, cancellationToken);
        var check = await fault.CheckAsync(context, cancellationToken);
        var notes = new List<string>();
        if (!recovered)
            notes.Add($"not consuming {options.RecoveryLimit.TotalSeconds:0} s after the fault: {string.Join(", ", stillMissing)}");
        if (!tally.AllDone && await recovery.BacklogAsync(cancellationToken) is [_, ..] backlog)
            notes.Add($"stuck at the drain limit: {string.Join(", ", backlog)}");
        if (tally.Lost > 0)
            notes.Add($"not completed: {string.Join(", ", tally.LostCids.Take(5))}{(tally.Lost > 5 ? ", …" : "")}");
        if (load.AcceptedOrders.Count > ordersDone)
            notes.Add($"{load.AcceptedOrders.Count - ordersDone} orders not done");
        if (load.Hung > 0)
            notes.Add($"{load.Hung} submission attempts hung (no answer, no error within 60 s; retried with the same CID)");
        if (load.TimedOut > 0)
            notes.Add($"{load.TimedOut} submission attempts timed out unacknowledged and were sent again with the same CID");
        if (load.Refusals.Count > 0)
            notes.Add($"{load.Refusals.Count} submissions refused, e.g. {load.Refusals.First()}");
        if (tally.TargetCallbacksDuplicated > 0)
            notes.Add($"{tally.TargetCallbacksDuplicated} per-target callbacks sent twice");
        if (check.Note.Length > 0)
            notes.Add(check.Note);
        var row = new ScenarioRow(fault.Name, tally, load.AcceptedOrders.Count, ordersDone, recoverSeconds, recovered, what,
            string.Join("; ", notes), check.Passed, load.Hung);
        ChaosContext.Progress($"{fault.Name}: {(row.Passed ? "pass" : "FAIL")} ({tally.Completed}/{tally.Accepted} runs, {ordersDone}/{load.AcceptedOrders.Count} orders)");
        return row;
    }

    async Task<(bool Recovered, IReadOnlyList<string> Missing)> WaitRecoveredAsync(TimeSpan limit, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var polled = await Polling.UntilAsync(() => recovery.MissingAsync(cancellationToken), missing => missing.Count == 0,
            limit - clock.Elapsed, Poll, cancellationToken);
        return (polled.Met, polled.Last);
    }

    /// <summary>Polls the ledger and the order events until everything accepted finished or the drain limit passed.</summary>
    async Task<(RunTally Tally, int OrdersDone)> WaitDrainedAsync(LoadRun load, CancellationToken drain, CancellationToken cancellationToken)
    {
        (RunTally Tally, int OrdersDone) Count() => (RunTally.Of(load.AcceptedRuns, CallbackLedger.Read(context.Paths.Ledger)),
            load.AcceptedOrders.Count(client.OrdersDone.Contains));
        await Polling.UntilAsync(() => Task.FromResult(Count()),
            counted => (counted.Tally.AllDone && counted.OrdersDone == load.AcceptedOrders.Count) || drain.IsCancellationRequested,
            Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(1), cancellationToken);
        // A moment more, so a duplicate sent right after the last callback is seen too.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        return Count();
    }
}
