namespace Fanout.Chaos.Reporting;

/// <summary>
/// The results as a Markdown table (stdout), then per-scenario notes: what was done, what went wrong, and for a
/// scenario that left the system broken, the state and last log lines of each process concerned.
/// </summary>
public static class ChaosTable
{
    public static void Write(IReadOnlyList<ScenarioRow> rows, IReadOnlyList<string> notRun, ChaosOptions options,
        TextWriter output)
    {
        output.WriteLine($"Load per scenario: {options.Fanouts} fan-outs x 10 targets (half C# API, half HTTP), final + per-target callback, " +
                         $"{options.Orders} FIFO orders; fault at a random point of the submissions (seed {options.Seed}).");
        output.WriteLine();
        output.WriteLine("| scenario | runs accepted | completed | lost | finals duplicated | finals re-run | " +
                         "per-target missing | orders accepted/done | recover s | consuming again | left consuming | " +
                         "result |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |");
        foreach (var r in rows)
            output.WriteLine($"| {r.Scenario} | {r.Runs.Accepted} | {r.Runs.Completed} | {r.Runs.Lost} | {r.Runs.FinalsDuplicated} | " +
                             $"{r.Runs.FinalsRerun} | {r.Runs.TargetCallbacksMissing} | {r.OrdersAccepted}/{r.OrdersDone} | " +
                             $"{(r.RecoverSeconds is { } s ? s.ToString("0.0") : "-")} | {(r.Consuming ? "yes" : "no")} | " +
                             $"{(r.After.Clean ? "yes" : "no")} | {(r.Passed ? "pass" : "FAIL")} |");
        output.WriteLine();
        foreach (var r in rows)
        {
            var notes = new[] { r.Notes }.Concat(r.After.Notes)
                .Concat(r.After.Problems.Select(p => "LEFT BEHIND: " + p)).Where(n => n.Length > 0).ToList();
            output.WriteLine($"- {r.Scenario}: {r.Fault}{(notes.Count > 0 ? ". " + string.Join("; ", notes) : "")}");
            foreach (var process in r.After.Processes)
            {
                output.WriteLine($"  - {process}; its last log lines:");
                foreach (var line in process.LastLines)
                    output.WriteLine($"    {line}");
            }
        }

        if (notRun.Count > 0)
            output.WriteLine($"- not run: {string.Join(", ", notRun)} (the run stops at a scenario that left the " +
                             "system broken: nothing is restarted to mend it)");
    }
}
