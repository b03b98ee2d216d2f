namespace Fanout.Chaos.Reporting;

/// <summary>The results as a Markdown table (stdout), then per-scenario notes: what was done and what went wrong.</summary>
public static class ChaosTable
{
    public static void Write(IReadOnlyList<ScenarioRow> rows, ChaosOptions options, TextWriter output)
    {
        output.WriteLine($"Load per scenario: {options.Fanouts} fan-outs x 10 targets (half C# API, half HTTP), final + per-target callback, " +
                         $"{options.Orders} FIFO orders; fault at a random point of the submissions (seed {options.Seed}).");
        output.WriteLine();
        output.WriteLine("| scenario | runs accepted | completed | lost | finals duplicated | finals re-run | per-target missing | orders accepted/done | recover s | consuming again | result |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var r in rows)
            output.WriteLine($"| {r.Scenario} | {r.Runs.Accepted} | {r.Runs.Completed} | {r.Runs.Lost} | {r.Runs.FinalsDuplicated} | " +
                             $"{r.Runs.FinalsRerun} | {r.Runs.TargetCallbacksMissing} | {r.OrdersAccepted}/{r.OrdersDone} | " +
                             $"{(r.RecoverSeconds is { } s ? s.ToString("0.0") : "-")} | {(r.Consuming ? "yes" : "no")} | " +
                             $"{(r.Passed ? "pass" : "FAIL")} |");
        output.WriteLine();
        foreach (var r in rows)
            output.WriteLine($"- {r.Scenario}: {r.Fault}{(r.Notes.Length > 0 ? ". " + r.Notes : "")}");
    }
}
