using System.Text.Json;
using Fanout.Fifo.Processing;

namespace Fanout.Samples.Fifo;

/// <summary>
/// The reference handler: logs the order and sleeps for the order's <c>work_ms</c>, else
/// <c>Fanout:Fifo:SampleWorkMs</c> (1 s); <c>"fail": true</c> makes it throw. With a <see cref="RunLedger"/> it
/// records the start and end of every run.
/// </summary>
public sealed class SleepingOrderHandler(SleepingOrderHandler.Settings settings, ILogger<SleepingOrderHandler> logger,
    RunLedger? ledger = null) : IFifoHandler
{
    public sealed record Settings(int WorkMs);

    public async Task HandleAsync(FifoOrder order, CancellationToken cancellationToken)
    {
        ledger?.Started(order.OrderId, order.Sequence, order.FencingToken);
        var outcome = "failed";
        try
        {
            await RunAsync(order, cancellationToken);
            outcome = "ok";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            ledger?.Ended(order.OrderId, order.Sequence, order.FencingToken, outcome);
        }
    }

    async Task RunAsync(FifoOrder order, CancellationToken cancellationToken)
    {
        logger.LogInformation("Processing order {OrderId} #{Sequence} on {Fifo}: {Parameters}", order.OrderId,
            order.Sequence, order.Fifo, order.Parameters.GetRawText());
        var parameters = order.Parameters;
        if (parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("fail", out var fail) && fail.ValueKind == JsonValueKind.True)
            throw new InvalidOperationException($"order {order.OrderId} asked to fail (\"fail\": true)");
        var workMs = parameters.ValueKind == JsonValueKind.Object
                     && parameters.TryGetProperty("work_ms", out var ms) && ms.TryGetInt32(out var given)
            ? given
            : settings.WorkMs;
        await Task.Delay(workMs, cancellationToken);
    }
}
