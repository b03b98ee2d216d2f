namespace Fanout.Orchestrator.Outbox;

/// <summary>
/// A message the saga emitted, stored in the same transaction as the saga change that caused it and
/// delivered after commit (see <see cref="OutboxSession"/>). <see cref="Id"/> becomes the MessageId, so receivers can
/// drop redeliveries.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public string Cid { get; set; } = "";

    /// <summary>Queue to send to, or null to publish.</summary>
    public string? Destination { get; set; }

    public string MessageType { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>
    /// The message itself while its session delivers it, so the happy path does not parse <see cref="Body"/> again (not
    /// stored).
    /// </summary>
    internal object? Message { get; set; }
}
