using System.Text.Json;
using Fanout.Benchmarks.Measuring;
using Fanout.Benchmarks.Processes;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// <c>fifo_1000</c>: orders with a no-op handler (<c>work_ms</c> 0) submitted at once over the bus, as the CLI submits
/// them (a <see cref="SubmitOrder"/> request the FIFO registry answers); first submit → last <c>done</c> event.
/// </summary>
public sealed class FifoScenario(int orders) : IScenario
{
    static readonly JsonElement NoWork = JsonSerializer.SerializeToElement(new { work_ms = 0 });

    public string Name => $"fifo_{orders}";

    public async Task<ScenarioRun> RunOnceAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var client = context.Client.Bus.CreateRequestClient<SubmitOrder>(RequestTimeout.After(s: 60));
        var start = Clock.Now;
        var accepted = await Submissions.AllAtOnceAsync(orders, _ =>
            client.GetResponse<OrderDocument>(new SubmitOrder { Fifo = SystemUnderTest.WorkedFifo, Parameters = NoWork }, cancellationToken),
            "orders", cancellationToken);
        // Order ids are new per submission, so only this run's orders are waited for.
        var done = await context.Client.Observed.OrdersDone.WaitAllAsync(accepted.Select(r => r.Message.OrderId).ToArray(), cancellationToken);
        return new ScenarioRun(new Dictionary<string, double>
        {
            ["orders_per_s"] = orders / Clock.Seconds(start, done.Max()),
        })
        {
            Orders = orders,
        };
    }
}
