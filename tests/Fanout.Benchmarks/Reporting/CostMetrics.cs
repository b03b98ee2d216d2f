using System.Text.RegularExpressions;
using Fanout.Benchmarks.Measuring;
using Fanout.Benchmarks.Scenarios;

namespace Fanout.Benchmarks.Reporting;

/// <summary>A run's cost window turned into per-run, per-target and per-order metrics (results.json keys).</summary>
public static partial class CostMetrics
{
    public const string Total = "(all)";

    /// <summary>The scenario's own metrics plus those its submitted work allows.</summary>
    public static IReadOnlyDictionary<string, double> Add(ScenarioRun run, WindowCost cost)
    {
        var metrics = new Dictionary<string, double>(run.Metrics);
        if (run.Targets > 0)
            metrics["broker_msgs_per_target"] = cost.Publishes.Total / (double)run.Targets;
        if (run.Runs > 0)
            metrics["orchestrator_cpu_ms_per_run"] = cost.OrchestratorCpuMs / run.Runs;
        if (run.Orders > 0)
            metrics["broker_msgs_per_order"] = cost.Publishes.Total / (double)run.Orders;
        return metrics;
    }

    /// <summary>Broker messages per run (or per order) by exchange, with <see cref="Total"/>; null for neither.</summary>
    public static (string Unit, IReadOnlyDictionary<string, double> ByExchange)? MessagesPerUnit(ScenarioRun run,
        WindowCost cost)
    {
        var (unit, count) = run.Runs > 0 ? ("run", run.Runs) : run.Orders > 0 ? ("order", run.Orders) : ("", 0);
        if (count == 0)
            return null;
        var byExchange = cost.Publishes.ByExchange
            .GroupBy(e => Stable(e.Key))
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Value) / (double)count);
        byExchange[Total] = cost.Publishes.Total / (double)count;
        return (unit, byExchange);
    }

    /// <summary>
    /// An exchange name the same in every benchmark run: a bus's temporary response address
    /// (<c>host_process_bus_random</c>) by its process alone.
    /// </summary>
    static string Stable(string exchange) => TemporaryAddress().Replace(exchange, "$1_bus_*");

    [GeneratedRegex(@"^.*?_([^_]+)_bus_[a-z0-9]+$")]
    private static partial Regex TemporaryAddress();
}
