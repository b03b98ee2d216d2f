namespace Fanout.Fifo.Persistence;

/// <summary>One order. <see cref="Sequence"/> is its place in arrival order.</summary>
public sealed class OrderRecord
{
    public long Sequence { get; set; }
    public string OrderId { get; set; } = "";
    public string Fifo { get; set; } = "";
    public string Status { get; set; } = "";
    public string ParametersJson { get; set; } = "null";
    public DateTime SubmittedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    public int Attempts { get; set; }
    public string? Worker { get; set; }
    public string? Reason { get; set; }

    /// <summary>The fencing token of the lease under which the order was last claimed.</summary>
    public long? FencingToken { get; set; }

    /// <summary>
    /// False between storing the order and handing it to its FIFO queue; a sweep re-sends what a crash left.
    /// </summary>
    public bool Enqueued { get; set; }
}
