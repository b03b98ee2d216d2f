namespace Fanout.Orchestrator.Hosting.Leases;

/// <summary>
/// A row that says which orchestrator process runs a periodic job (deadline sweeps, the outbox relay's rescue pass,
/// retention) until when. Several orchestrators on one database each run the job's loop, but only the holder acts.
/// </summary>
public sealed class JobLease
{
    public string Name { get; set; } = "";
    public string Holder { get; set; } = "";
    public DateTime ExpiresAtUtc { get; set; }
}
