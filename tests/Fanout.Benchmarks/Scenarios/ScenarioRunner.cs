using Fanout.Benchmarks.Reporting;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// Repeats a scenario, each run under the profile's timeout. A failed run ends that scenario (reported with the
/// reason), never the benchmark: the next scenario still runs. Interrupted, it keeps the runs that finished.
/// The profile's warm-up runs go first, outside any cost window and not counted.
/// </summary>
public static class ScenarioRunner
{
    public static async Task<ScenarioOutcome> RunAsync(IScenario scenario, BenchContext context, CancellationToken interrupted)
    {
        var outcome = new ScenarioOutcome(scenario.Name);
        var repetitions = context.Profile.Repetitions;
        var finals = context.Client.Observed.Finals;
        var duplicatesBefore = finals.Duplicates;
        for (var warmup = 1; warmup <= context.Profile.Warmups && !interrupted.IsCancellationRequested; warmup++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
            timeout.CancelAfter(context.Profile.ScenarioTimeout);
            try
            {
                context.Costs.Unmetered();
                var measured = await scenario.RunOnceAsync(context, timeout.Token);
                BenchContext.Progress($"{scenario.Name} warm-up {warmup}/{context.Profile.Warmups} (not counted): " +
                                      string.Join(", ", measured.Metrics.Select(m => $"{m.Key} {ResultTable.Number(m.Value)}")));
            }
            catch (Exception ex)
            {
                outcome.Error = "warm-up: " + WhyFailed(ex, interrupted.IsCancellationRequested, timeout.IsCancellationRequested, context.Profile.ScenarioTimeout);
                BenchContext.Progress($"{scenario.Name} warm-up failed: {outcome.Error}");
                return outcome;
            }
        }

        for (var run = 1; run <= repetitions && !interrupted.IsCancellationRequested; run++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
            BenchContext.Progress($"{scenario.Name} run {run}/{repetitions} …");
            try
            {
                // Waiting for the broker's counters is not the scenario's time: the timeout starts after it.
                var window = await context.Costs.OpenAsync(interrupted);
                timeout.CancelAfter(context.Profile.ScenarioTimeout);
                var measured = await scenario.RunOnceAsync(context, timeout.Token);
                var cost = await context.Costs.CloseAsync(window, interrupted);
                var metrics = CostMetrics.Add(measured, cost);
                outcome.Runs.Add(metrics);
                if (CostMetrics.MessagesPerUnit(measured, cost) is var (unit, breakdown))
                {
                    outcome.MessagesPer = unit;
                    outcome.Messages.Add(breakdown);
                }
                BenchContext.Progress($"{scenario.Name} run {run}/{repetitions}: " +
                                      string.Join(", ", metrics.Select(m => $"{m.Key} {ResultTable.Number(m.Value)}")));
            }
            catch (Exception ex)
            {
                context.Costs.Unmetered();
                outcome.Error = WhyFailed(ex, interrupted.IsCancellationRequested, timeout.IsCancellationRequested, context.Profile.ScenarioTimeout);
                BenchContext.Progress($"{scenario.Name} run {run}/{repetitions} failed: " +
                                      (interrupted.IsCancellationRequested ? outcome.Error : ex.ToString()));
                break;
            }
        }

        // Final callbacks run exactly once per run; a second one is a broken guarantee, not a timing detail.
        if (finals.Duplicates > duplicatesBefore)
            BenchContext.Progress($"{scenario.Name}: WARNING {finals.Duplicates - duplicatesBefore} duplicate final callbacks");
        return outcome;
    }

    /// <summary>One line for the table: the exception's own message, except for a bare cancellation by the timeout.</summary>
    static string WhyFailed(Exception ex, bool interrupted, bool timedOut, TimeSpan limit)
    {
        var reason = ex.GetBaseException().Message.Split('\n')[0];
        if (interrupted)
            return "interrupted";
        if (timedOut)
            return $"timed out after {limit.TotalSeconds:0} s" + (ex is TimeoutException ? $" ({reason})" : "");
        return $"{ex.GetType().Name}: {reason}";
    }
}
