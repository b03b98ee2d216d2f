using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Chaos.Ledger;
using Fanout.Chaos.Parts;
using Fanout.Contracts;
using Fanout.Fifo;
using Fanout.Testing;

namespace Fanout.Chaos.Faults;

/// <summary>
/// <see cref="Cuts"/> times in a row: a <see cref="WorkMs"/> order and a short one behind it are queued, and while the
/// long one runs the broker closes the AMQP connection of the FIFO queue's single active consumer (the process keeps
/// running; its handler does not know). Passes when the handler's own run ledger shows no two runs at once, the line in
/// order and no order done twice. The hand-over is the time from the end of the cut order's last run to the start of
/// the short order behind it.
/// </summary>
public sealed class PartitionFifoFault : IFault
{
    const int Cuts = 20;
    const int WorkMs = 3000;
    static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(90);
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    long _ledgerOffset;
    readonly List<(string Long, string Short)> _cutOrders = [];

    public string Name => "partition-fifo";

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var ledger = FifoRuns.PathIn(context.Paths);
        _ledgerOffset = FifoRuns.Length(ledger);
        using var gateway = new HttpClient { BaseAddress = new Uri(context.System.GatewayUrl + "/") };
        var queue = FifoQueues.For(ChaosNames.Fifo);
        var clock = Stopwatch.StartNew();
        for (var cut = 1; cut <= Cuts; cut++)
        {
            var longOrder = await SubmitAsync(gateway, new { work_ms = WorkMs, cut }, cancellationToken);
            var shortOrder = await SubmitAsync(gateway, new { work_ms = 10, cut }, cancellationToken);
            _cutOrders.Add((longOrder, shortOrder));
            await UntilAsync(() => FifoRuns.Read(ledger, _ledgerOffset).Any(r => r.OrderId == longOrder),
                $"order {longOrder} to start", cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(300 + context.Random.Next(1200)), cancellationToken);
            string? connection = null;
            await UntilAsync(async () => (connection = await context.Management.ActiveConsumerConnectionAsync(queue,
                cancellationToken)) is not null, $"{queue} to have a single active consumer", cancellationToken);
            await context.Management.CloseConnectionAsync(connection!, $"chaos cut {cut}", cancellationToken);
            ChaosContext.Progress($"{Name}: cut {cut}/{Cuts}: closed {connection} while {longOrder} ran");
            await UntilAsync(async () => await IsDoneAsync(gateway, longOrder, cancellationToken)
                                         && await IsDoneAsync(gateway, shortOrder, cancellationToken),
                $"orders {longOrder} and {shortOrder} to be done", cancellationToken);
        }

        return $"{Cuts} broker-side closes of the active FIFO worker's connection, each during a {WorkMs} ms order, " +
               $"in {clock.Elapsed.TotalSeconds:0} s";
    }

    public Task<FaultCheck> CheckAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var runs = FifoRuns.Read(FifoRuns.PathIn(context.Paths), _ledgerOffset);
        var check = FifoRunCheck.Of(runs);
        var handOvers = _cutOrders.Select(o => HandOver(runs, o.Long, o.Short)).OfType<TimeSpan>()
            .Select(t => t.TotalSeconds).Order().ToList();
        var handOver = handOvers.Count == 0 ? "no hand-over measured"
            : $"hand-over p50 {handOvers[handOvers.Count / 2]:0.00} s, max {handOvers[^1]:0.00} s";
        ChaosContext.Progress($"{Name}: {check}; {handOver}");
        return Task.FromResult(new FaultCheck(check.Passed, $"{check}; {handOver}"));
    }

    /// <summary>From the end of the long order's last run to the start of the order behind it.</summary>
    static TimeSpan? HandOver(IReadOnlyList<FifoRun> runs, string longOrder, string shortOrder)
    {
        var lastEnd = runs.Where(r => r.OrderId == longOrder).Select(r => r.End).Max();
        var next = runs.FirstOrDefault(r => r.OrderId == shortOrder);
        return lastEnd is { } end && next is not null ? next.Start - end : null;
    }

    static async Task<string> SubmitAsync(HttpClient gateway, object body, CancellationToken cancellationToken)
    {
        using var response = await gateway.PostAsJsonAsync($"v1/orders?fifo={ChaosNames.Fifo}", body,
            cancellationToken);
        response.EnsureSuccessStatusCode();
        var order = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return order.GetProperty("order_id").GetString()!;
    }

    static async Task<bool> IsDoneAsync(HttpClient gateway, string orderId, CancellationToken cancellationToken)
    {
        using var response = await gateway.GetAsync($"v1/orders/{orderId}", cancellationToken);
        if (!response.IsSuccessStatusCode)
            return false;
        var order = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return order.GetProperty("status").GetString() == OrderStates.Done;
    }

    static Task UntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken) =>
        UntilAsync(() => Task.FromResult(condition()), what, cancellationToken);

    static async Task UntilAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        if (!await Polling.UntilAsync(condition, StepLimit, Poll, cancellationToken))
            throw new TimeoutException($"waited {StepLimit.TotalSeconds:0} s for {what}");
    }
}
