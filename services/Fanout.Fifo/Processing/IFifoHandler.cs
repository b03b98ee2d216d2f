using System.Text.Json;

namespace Fanout.Fifo.Processing;

/// <summary>An order as its handler sees it.</summary>
public sealed record FifoOrder(string OrderId, string Fifo, long Sequence, JsonElement Parameters, int Attempt)
{
    /// <summary>
    /// The fencing token of the lease this run holds: larger for every new holder of the line. A backend that stores
    /// the largest token it has seen and refuses smaller ones refuses a worker that lost the line but still runs.
    /// </summary>
    public long FencingToken { get; init; }
}

/// <summary>
/// What "processing" means for one FIFO: user code for a backend that must never run two jobs at once. It is called
/// for one order at a time, in arrival order, across every worker process, only while its worker holds the line's
/// lease; the cancellation token fires when the lease is lost (or the worker stops). Throwing means the attempt failed.
/// </summary>
public interface IFifoHandler
{
    Task HandleAsync(FifoOrder order, CancellationToken cancellationToken);
}
