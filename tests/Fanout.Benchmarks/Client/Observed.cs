using Fanout.Benchmarks.Measuring;

namespace Fanout.Benchmarks.Client;

/// <summary>What this process saw arrive from the system under test.</summary>
public sealed class Observed
{
    public Arrivals Finals { get; } = new("final callbacks");
    public Arrivals OrdersDone { get; } = new("orders done");
}
