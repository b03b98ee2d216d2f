namespace Fanout.Benchmarks.Client;

/// <summary>Names of what the benchmark process hosts on the bus.</summary>
public static class BenchServices
{
    /// <summary>Distinct no-op targets for the 10-target fan-outs: <c>bench.t0</c> … <c>bench.t9</c>.</summary>
    public const int DistinctTargets = 10;

    public static string Target(int index) => $"bench.t{index}";

    /// <summary>The one service every call of a map fan-out goes to.</summary>
    public const string MapTarget = "bench.noop";

    public const string FinalCallback = "bench.final";

    /// <summary>Queue of the order status events this process observes.</summary>
    public const string OrderEvents = "bench.order-events";

    /// <summary>Queue of the request→reply responder that measures MassTransit's ceiling.</summary>
    public const string CeilingQueue = "bench.ceiling";
}
