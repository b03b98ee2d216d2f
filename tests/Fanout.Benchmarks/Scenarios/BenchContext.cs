using Fanout.Benchmarks.Client;
using Fanout.Benchmarks.Processes;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>What a scenario works with: the sizes, this client process and the processes under test.</summary>
public sealed record BenchContext(BenchProfile Profile, BenchClient Client, SystemUnderTest System)
{
    /// <summary>A progress line on stderr (stdout is kept for the results table).</summary>
    public static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
