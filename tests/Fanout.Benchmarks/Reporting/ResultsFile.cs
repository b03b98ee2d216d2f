using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fanout.Benchmarks.Reporting;

/// <summary>
/// <c>.run/bench/results.json</c>: an object keyed by scenario holding each metric's median (and the derived ratios);
/// <c>broker_msgs_per_run_by_exchange</c> (or <c>_per_order_</c>) breaks its broker messages down by exchange;
/// a scenario that failed holds <c>error</c>, next to the medians of the runs that did finish, if any.
/// </summary>
public static class ResultsFile
{
    public static void Write(IReadOnlyList<ScenarioOutcome> outcomes, string path)
    {
        var root = new JsonObject();
        foreach (var outcome in outcomes)
        {
            var scenario = new JsonObject();
            foreach (var metric in outcome.MetricNames)
                scenario[metric] = Math.Round(outcome.Median(metric)!.Value, 3);
            foreach (var (metric, value) in outcome.Derived)
                scenario[metric] = Math.Round(value, 3);
            if (outcome.Messages.Count > 0)
            {
                var breakdown = new JsonObject();
                foreach (var (exchange, median) in MessageBreakdown.Medians(outcome))
                    breakdown[exchange] = Math.Round(median, 3);
                scenario[$"broker_msgs_per_{outcome.MessagesPer}_by_exchange"] = breakdown;
            }

            if (outcome.Error is not null)
                scenario["error"] = outcome.Error;
            root[outcome.Name] = scenario;
        }

        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // error texts quote CIDs: keep them readable
        }) + "\n");
    }
}
