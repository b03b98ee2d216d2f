using System.Text.Json;

namespace Fanout.Fifo.Processing;

/// <summary>An order as its handler sees it.</summary>
public sealed record FifoOrder(string OrderId, string Fifo, long Sequence, JsonElement Parameters, int Attempt);

/// <summary>
/// What "processing" means for one FIFO: user code for a backend that must never run two jobs at once. It is called
/// for one order at a time, in arrival order, across every worker process. Throwing means the attempt failed.
/// </summary>
public interface IFifoHandler
{
    Task HandleAsync(FifoOrder order, CancellationToken cancellationToken);
}
