using System.Diagnostics.Metrics;
using Fanout.Bus.Telemetry;
using Fanout.Contracts;
using Fanout.Fifo;
using Fanout.Fifo.Persistence;
using Fanout.Orchestrator.Outbox;
using Fanout.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.Tests.Telemetry;

/// <summary>The store gauges of the "Fanout" meter read real stores: the orchestrator's outbox backlog and each FIFO's depth.</summary>
public class GaugeTests
{
    /// <summary>What the gauge <paramref name="name"/> of this container's meters reports when a listener collects now.</summary>
    static List<(long Value, string? Fifo)> Collect(IServiceProvider services, string name)
    {
        var meters = services.GetRequiredService<IMeterFactory>();
        var values = new List<(long, string?)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Other tests' hosts in this process have gauges of the same name: only this container's count.
            if (instrument.Name == name && instrument.Meter.Name == FanoutMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            values.Add((value, tags.ToArray().FirstOrDefault(t => t.Key == "fanout.fifo").Value as string)));
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    [Fact]
    public async Task The_outbox_backlog_counts_committed_rows_not_yet_deleted()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        Assert.Equal([0L], Collect(bus.Services, OutboxBacklogGauge.Name).Select(m => m.Value));

        // Rows as a crash between commit and delivery leaves them (newer than the relay's 30 s, so they stay for now).
        await bus.QueryAsync(async db =>
        {
            db.Set<OutboxMessage>().AddRange(Enumerable.Range(0, 3).Select(_ => new OutboxMessage
            {
                Id = Guid.NewGuid(), Cid = "gauge", MessageType = "none", Body = "{}", CreatedAtUtc = DateTime.UtcNow,
            }));
            return await db.SaveChangesAsync();
        });

        Assert.Equal([3L], Collect(bus.Services, OutboxBacklogGauge.Name).Select(m => m.Value));
    }

    [Fact]
    public async Task The_fifo_depth_counts_each_fifos_unfinished_orders()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var services = new ServiceCollection().AddMetrics().AddLogging();
        OrderStore.Add(services, new FifoSettings { Database = Path.Combine(directory, "orders.db") });
        await using var store = services.BuildServiceProvider();
        try
        {
            var scopes = store.GetRequiredService<IServiceScopeFactory>();
            await new OrderDatabaseInitializer(scopes).StartAsync(CancellationToken.None);
            _ = new FifoDepthGauge(store.GetRequiredService<IMeterFactory>(), scopes, NullLogger<FifoDepthGauge>.Instance);
            await using (var scope = store.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
                (string Fifo, string Status)[] orders =
                [
                    ("invoices", OrderStates.Standby), ("invoices", OrderStates.Processing), ("invoices", OrderStates.Done),
                    ("refunds", OrderStates.Standby), ("refunds", OrderStates.Discarded), ("archive", OrderStates.Done),
                ];
                db.Orders.AddRange(orders.Select((o, i) => new OrderRecord
                {
                    OrderId = $"ord-{i}", Fifo = o.Fifo, Status = o.Status, SubmittedAtUtc = DateTime.UtcNow,
                }));
                await db.SaveChangesAsync();
            }

            Assert.Equal([(2L, "invoices"), (1L, "refunds")], Collect(store, FifoDepthGauge.Name).OrderBy(m => m.Fifo));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
}
