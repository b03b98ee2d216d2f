using Fanout.Fifo.Processing;

namespace Fanout.Samples.Fifo;

/// <summary>The reference handler: logs the order and sleeps for the order's <c>work_ms</c>, else <c>Fanout:Fifo:SampleWorkMs</c> (1 s); <c>"fail": true</c> makes it throw.</summary>
public sealed class SleepingOrderHandler(SleepingOrderHandler.Settings settings, ILogger<SleepingOrderHandler> logger) : IFifoHandler
{
    public sealed record Settings(int WorkMs);

    public async Task HandleAsync(FifoOrder order, CancellationToken cancellationToken)
    {
        logger.LogInformation("Processing order {OrderId} #{Sequence} on {Fifo}: {Parameters}", order.OrderId, order.Sequence, order.Fifo, order.Parameters.GetRawText());
        if (order.Parameters.ValueKind == System.Text.Json.JsonValueKind.Object
            && order.Parameters.TryGetProperty("fail", out var fail) && fail.ValueKind == System.Text.Json.JsonValueKind.True)
            throw new InvalidOperationException($"order {order.OrderId} asked to fail (\"fail\": true)");
        var workMs = order.Parameters.ValueKind == System.Text.Json.JsonValueKind.Object
                     && order.Parameters.TryGetProperty("work_ms", out var ms) && ms.TryGetInt32(out var given)
            ? given
            : settings.WorkMs;
        await Task.Delay(workMs, cancellationToken);
    }
}
