using Fanout.Benchmarks.Measuring;

namespace Fanout.Benchmarks.Reporting;

/// <summary>
/// <c>--message-breakdown</c>: per scenario, the broker messages per run (or per order) by the exchange they were
/// published to, medians over the scenario's runs, largest first.
/// </summary>
public static class MessageBreakdown
{
    /// <summary>Medians by exchange; an exchange a run did not publish to counts 0 in that run.</summary>
    public static IReadOnlyList<(string Exchange, double Median)> Medians(ScenarioOutcome outcome) =>
        outcome.Messages.SelectMany(m => m.Keys).Distinct()
            .Select(exchange => (Exchange: exchange,
                Median: Percentiles.Median(outcome.Messages.Select(m => m.GetValueOrDefault(exchange)).ToList())))
            .OrderByDescending(e => e.Exchange == CostMetrics.Total).ThenByDescending(e => e.Median).ThenBy(e => e.Exchange)
            .ToList();

    public static void Write(IReadOnlyList<ScenarioOutcome> outcomes, TextWriter output)
    {
        foreach (var outcome in outcomes.Where(o => o.Messages.Count > 0))
        {
            output.WriteLine();
            output.WriteLine($"{outcome.Name}: broker messages per {outcome.MessagesPer} by exchange " +
                             $"(median of {outcome.Messages.Count})");
            foreach (var (exchange, median) in Medians(outcome))
                output.WriteLine($"  {ResultTable.Number(median),10}  {exchange}");
        }
    }
}
