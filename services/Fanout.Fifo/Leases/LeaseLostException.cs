namespace Fanout.Fifo.Leases;

/// <summary>
/// This worker no longer holds the line's lease: another may run it now. The delivery fails and is tried again (it
/// then waits for the lease); nothing more is written under the lost token.
/// </summary>
public sealed class LeaseLostException(HeldLease lease, string what)
    : Exception($"{what}: the lease of FIFO {lease.Fifo} (fencing token {lease.Token}) was lost");
