using Fanout.Benchmarks.Client;
using Fanout.Benchmarks.Measuring;
using Fanout.Benchmarks.Processes;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// What a scenario works with: the sizes, this client process, the processes under test, and the meter of what
/// each run costs them.
/// </summary>
public sealed record BenchContext(BenchProfile Profile, BenchClient Client, SystemUnderTest System, CostMeter Costs)
{
    /// <summary>A progress line on stderr (stdout is kept for the results table).</summary>
    public static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
