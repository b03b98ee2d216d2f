namespace Fanout.Orchestrator.Runs;

/// <summary>One target of one fan-out: its request, and its outcome once finished.</summary>
public sealed class TargetResult
{
    public Guid CorrelationId { get; set; }
    public string Target { get; set; } = "";
    /// <summary>Position in the request, so pending targets are invoked in the order given.</summary>
    public int Ordinal { get; set; }

    public string RequestJson { get; set; } = "null";

    /// <summary>One of <c>TargetStates</c>.</summary>
    public string Status { get; set; } = "";

    public DateTime? InvokedAtUtc { get; set; }
    public bool Finished { get; set; }
    public bool Ok { get; set; }
    public string? ResponseJson { get; set; }
    public string? Exception { get; set; }
    public DateTime? RespondedAtUtc { get; set; }
}
