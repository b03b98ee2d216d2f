namespace Fanout.Fifo.Persistence;

/// <summary>
/// Who may run handlers on one FIFO line: <see cref="Holder"/> until <see cref="ExpiresAtUtc"/>. <see cref="Token"/>
/// grows by one with every new acquisition: the fencing token handlers get, so a backend can refuse a stale worker.
/// </summary>
public sealed class FifoLeaseRecord
{
    public string Fifo { get; set; } = "";

    /// <summary>Null once released.</summary>
    public string? Holder { get; set; }

    public long Token { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
}
