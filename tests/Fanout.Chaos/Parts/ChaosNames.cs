namespace Fanout.Chaos.Parts;

/// <summary>Names of the services and queues the chaos run deploys and watches.</summary>
public static class ChaosNames
{
    /// <summary>Targets of every fan-out: <c>chaos.t0</c> … <c>chaos.t9</c>, hosted by the <c>targets</c> process.</summary>
    public const int TargetCount = 10;

    public static string Target(int index) => $"chaos.t{index}";

    public static IEnumerable<string> Targets => Enumerable.Range(0, TargetCount).Select(Target);

    /// <summary>The final callback, hosted by the <c>callbacks</c> process.</summary>
    public const string FinalCallback = "chaos.final";

    /// <summary>The per-target callback, hosted by the <c>callbacks</c> process.</summary>
    public const string TargetCallback = "chaos.each";

    /// <summary>The FIFO the two workers serve (active and standby).</summary>
    public const string Fifo = "orders";

    /// <summary>Queue on which this run observes order status events.</summary>
    public const string OrderEvents = "chaos.order-events";

    /// <summary>The environment variable that tells the callback process where its ledger is.</summary>
    public const string LedgerVariable = "CHAOS_LEDGER";
}
