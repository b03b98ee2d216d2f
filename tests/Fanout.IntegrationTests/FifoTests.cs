using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// FIFO orders on real RabbitMQ with two worker processes (one active, one standby) sharing one order store: a SQLite
/// file, or a PostgreSQL database when the tests run against PostgreSQL.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class FifoTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    readonly RabbitMqBroker _broker = broker;

    sealed record Order(string OrderId, string Fifo, long Sequence, string Status, DateTime? Started, DateTime? Finished, int Attempts, string? Worker, string? Reason);

    Dictionary<string, string> Environment(OrdersDatabase orders, params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["FANOUT_RABBITMQ"] = Url,
            ["FANOUT_ORDERS_DATABASE"] = orders.Setting,
            ["Fanout__Fifo__RetryDelay"] = "00:00:00.100",
            ["Fanout__Fifo__Retries"] = "1",
        };
        foreach (var (key, value) in extra)
            environment[key] = value;
        return environment;
    }

    async Task<(ServiceProcess, ServiceProcess)> StartWorkers(Dictionary<string, string> environment)
    {
        var first = ServiceProcess.Start("Fanout.Samples", environment, "fifo");
        await first.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
        var second = ServiceProcess.Start("Fanout.Samples", environment, "fifo");
        await second.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
        return (first, second);
    }

    static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    static Order Parse(JsonElement o) => new(
        o.GetProperty("order_id").GetString()!, o.GetProperty("fifo").GetString()!, o.GetProperty("sequence").GetInt64(),
        o.GetProperty("status").GetString()!,
        o.GetProperty("started_ts_utc").ValueKind == JsonValueKind.Null ? null : o.GetProperty("started_ts_utc").GetDateTime(),
        o.GetProperty("finished_ts_utc").ValueKind == JsonValueKind.Null ? null : o.GetProperty("finished_ts_utc").GetDateTime(),
        o.GetProperty("attempts").GetInt32(), o.GetProperty("worker").GetString(), o.GetProperty("reason").GetString());

    static async Task<Order> Submit(GatewayHost gateway, object body, string? fifo = null)
    {
        var response = await gateway.Http.PostAsync(fifo is null ? "/v1/orders" : $"/v1/orders?fifo={fifo}", Json(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return Parse(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    static async Task<List<Order>> All(GatewayHost gateway, string? fifo = null) =>
        JsonDocument.Parse(await gateway.Http.GetStringAsync($"/v1/orders?limit=500{(fifo is null ? "" : "&fifo=" + fifo)}"))
            .RootElement.GetProperty("items").EnumerateArray().Select(Parse).OrderBy(o => o.Sequence).ToList();

    static Task<List<Order>> WaitUntilSettled(GatewayHost gateway, int count, TimeSpan timeout) =>
        Eventually.Until(() => All(gateway), orders => orders.Count >= count && orders.All(o => o.Status is "done" or "discarded"),
            $"{count} orders to be done or discarded", timeout, orders => string.Join(", ", orders.Select(o => $"#{o.Sequence}:{o.Status}")));

    static void AssertSequential(IReadOnlyList<Order> orders)
    {
        var processed = orders.Where(o => o.Started is not null).OrderBy(o => o.Sequence).ToList();
        for (var i = 1; i < processed.Count; i++)
        {
            Assert.True(processed[i].Started >= processed[i - 1].Finished,
                $"#{processed[i].Sequence} started {processed[i].Started:O} before #{processed[i - 1].Sequence} finished {processed[i - 1].Finished:O}");
        }
    }

    [Fact]
    public async Task Fifty_concurrent_orders_run_one_at_a_time_in_submission_order()
    {
        await using var store = await OrdersDatabase.CreateAsync(Directory);
        var (first, second) = await StartWorkers(Environment(store));
        using var a = first;
        using var b = second;
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());
        var (listener, events) = await OrderEvents.ListenAsync(Url);
        await using var _ = listener;

        var submitted = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Submit(gateway, new { n = i, work_ms = 20 })));
        Assert.All(submitted, o => Assert.Equal("standby", o.Status));

        var started = DateTime.UtcNow;
        var orders = await WaitUntilSettled(gateway, 50, TimeSpan.FromSeconds(60));
        output.WriteLine($"50 orders settled {(DateTime.UtcNow - started).TotalSeconds:0.0} s after submission");
        Assert.All(orders, o => Assert.Equal("done", o.Status));
        AssertSequential(orders);
        Assert.Equal(orders.Select(o => o.Sequence), orders.OrderBy(o => o.Started).Select(o => o.Sequence));
        Assert.Single(orders.Select(o => o.Worker).Distinct());

        // Each order's status changes were published once each, in order: "done" is the last an order gets, and the
        // listener has handled everything it received.
        await Eventually.Until(() => events.Received.Count(e => e.Status == "done"), done => done >= 50, "a done event for every order",
            describe: done => $"{done} done events");
        await listener.Activity.WaitForIdle();
        var published = events.Received.GroupBy(e => e.OrderId).ToDictionary(g => g.Key, g => g.Select(e => e.Status).ToList());
        Assert.Equal(50, published.Count);
        Assert.All(published.Values, statuses => Assert.Equal(["standby", "processing", "done"], statuses));
    }

    [Fact]
    public async Task Killing_the_active_worker_mid_order_hands_everything_to_the_standby()
    {
        await using var store = await OrdersDatabase.CreateAsync(Directory);
        var (first, second) = await StartWorkers(Environment(store));
        using var a = first;
        using var b = second;
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());
        // The first order runs long enough (3 s) that it is still processing when the kill lands on a loaded machine.
        foreach (var i in Enumerable.Range(0, 8))
            await Submit(gateway, new { n = i, work_ms = i == 0 ? 3000 : 200 });

        var processing = (await Eventually.Until(() => All(gateway), orders => orders.Any(o => o.Status == "processing"),
            "an order to be processing", describe: orders => string.Join(", ", orders.Select(o => $"#{o.Sequence}:{o.Status}"))))
            .First(o => o.Status == "processing");
        var active = new[] { a, b }.Single(p => processing.Worker!.EndsWith($":{p.Id}"));
        active.Kill();
        output.WriteLine($"killed worker {active.Id} during order #{processing.Sequence}");

        var orders = await WaitUntilSettled(gateway, 8, TimeSpan.FromSeconds(90));
        Assert.All(orders, o => Assert.Equal("done", o.Status));
        var interrupted = orders.Single(o => o.Sequence == processing.Sequence);
        Assert.Equal(2, interrupted.Attempts);
        Assert.DoesNotContain(orders.Where(o => o.Sequence >= processing.Sequence), o => o.Worker!.EndsWith($":{active.Id}"));
        AssertSequential(orders);
    }

    [Fact]
    public async Task Closing_the_active_workers_broker_connection_mid_order_never_runs_two_orders_at_once()
    {
        await using var store = await OrdersDatabase.CreateAsync(Directory);
        var ledger = Directory.File("runs.ledger");
        var (first, second) = await StartWorkers(Environment(store, ("Fanout__Fifo__RunLedger", ledger)));
        using var a = first;
        using var b = second;
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());
        var cut = await Submit(gateway, new { work_ms = 3000 });
        await Submit(gateway, new { work_ms = 10 });
        await Eventually.Until(() => All(gateway),
            orders => orders.Any(o => o.OrderId == cut.OrderId && o.Status == "processing"),
            "the long order to be processing");
        await Task.Delay(500); // not a wait for an outcome: the cut lands well inside the 3 s order's run
        var connection = await Eventually.Until<string?>(
            () => _broker.CloseActiveConsumerConnectionAsync(VirtualHost, "fifo.orders"), c => c is not null,
            "the active worker's connection to be closed");
        output.WriteLine($"closed {connection} while order #{cut.Sequence} ran");

        var orders = await WaitUntilSettled(gateway, 2, TimeSpan.FromSeconds(90));
        Assert.All(orders, o => Assert.Equal("done", o.Status));
        // The handler's own record: every run's start and end, across both processes.
        var runs = File.ReadAllLines(ledger).Select(l => l.Split('|'))
            .GroupBy(f => (Worker: f[1], Order: f[2]))
            .SelectMany(g => g.Where(f => f[0] == "start").Zip(g.Where(f => f[0] == "end"),
                (s, e) => (g.Key.Order, Token: long.Parse(s[4]), Start: long.Parse(s[5]), End: long.Parse(e[5]))))
            .OrderBy(r => r.Start).ToList();
        Assert.True(runs.Count >= 2, $"{runs.Count} runs recorded");
        for (var i = 1; i < runs.Count; i++)
            Assert.True(runs[i].Start >= runs[i - 1].End,
                $"run {i} of {runs[i].Order} started before run {i - 1} ended");
        Assert.Equal(runs.Select(r => r.Token).Order(), runs.Select(r => r.Token));
        // The standby took the line over under a new lease: its runs carry a larger fencing token.
        Assert.True(runs[^1].Token > runs[0].Token, $"fencing tokens {string.Join(", ", runs.Select(r => r.Token))}");
    }

    [Fact]
    [Trait("Database", "PostgreSql")]
    public async Task Killing_the_active_registry_on_PostgreSQL_mid_stream_hands_the_intake_over_and_keeps_submission_order()
    {
        // Each process is a registry and a worker: two registries and two workers on one PostgreSQL database.
        await using var store = await OrdersDatabase.CreateAsync(Directory, postgres: true);
        var (first, second) = await StartWorkers(Environment(store));
        using var a = first;
        using var b = second;
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());
        var (listener, events) = await OrderEvents.ListenAsync(Url);
        await using var _ = listener;

        // One client submitting one order after another: each is answered only once it is stored, so the submission
        // order is known, and the kill lands while a submission is out.
        const int count = 40;
        var submitted = new List<Order>();
        var submitting = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                var order = await Submit(gateway, new { n = i, work_ms = 50 });
                lock (submitted)
                    submitted.Add(order);
            }
        });
        await Eventually.Until(() => { lock (submitted) return submitted.Count; }, n => n >= 10, "10 orders accepted",
            TimeSpan.FromSeconds(60));
        const string stored = "orders queued";
        var registry = new[] { a, b }.Single(p => p.Stdout.Contains(stored));
        var standby = registry == a ? b : a;
        registry.Kill();
        var killedAt = DateTime.UtcNow;
        output.WriteLine($"killed the active registry {registry.Id} after {submitted.Count} orders were accepted");
        await submitting;

        var orders = await WaitUntilSettled(gateway, count, TimeSpan.FromSeconds(90));
        Assert.Contains(stored, standby.Stdout);
        Assert.All(orders, o => Assert.Equal("done", o.Status));
        // Arrival order is submission order, across the hand-over: each accepted order kept the place it was given.
        Assert.Equal(submitted.Select(o => o.OrderId), orders.Select(o => o.OrderId));
        Assert.Equal(submitted.Select(o => o.Sequence), orders.Select(o => o.Sequence));
        AssertSequential(orders);
        Assert.DoesNotContain(orders.Where(o => o.Started > killedAt), o => o.Worker!.EndsWith($":{registry.Id}"));

        // Each order's handler ran once, but for at most the one the kill interrupted (it runs again from the start).
        var lines = (a.Stdout + b.Stdout).Split('\n');
        var runs = orders.ToDictionary(o => o.OrderId, o => lines.Count(l => l.Contains($"Processing order {o.OrderId} #")));
        Assert.All(runs.Values, n => Assert.InRange(n, 1, 2));
        Assert.True(runs.Values.Count(n => n == 2) <= 1, string.Join(", ", runs.Where(r => r.Value > 1).Select(r => r.Key)));
        // Every order was announced done, and finished once: order events are at least once (a delivery the killed
        // worker left unacknowledged announces its already finished order again), but a repeat is the same stored order.
        await listener.Activity.WaitForIdle();
        var done = events.Received.Where(e => e.Status == "done").GroupBy(e => e.OrderId).ToList();
        Assert.Equal(orders.Select(o => o.OrderId).Order(), done.Select(g => g.Key).Order());
        // (A repeat is read back from the store: PostgreSQL keeps microseconds, the first event carried the clock's ticks.)
        Assert.All(done, g =>
        {
            Assert.Single(g.Select(e => (e.Attempts, e.Worker)).Distinct());
            Assert.True(g.Max(e => e.FinishedAtUtc) - g.Min(e => e.FinishedAtUtc) < TimeSpan.FromMilliseconds(1), $"{g.Key} finished twice");
        });
    }

    [Fact]
    public async Task Discard_failing_handlers_and_two_fifos_side_by_side()
    {
        await using var store = await OrdersDatabase.CreateAsync(Directory);
        var (first, second) = await StartWorkers(Environment(store, ("Fanout__Fifo__Queues__0", "orders"), ("Fanout__Fifo__Queues__1", "invoices")));
        using var a = first;
        using var b = second;
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());

        var slow = await Submit(gateway, new { work_ms = 3000 });
        var waiting = await Submit(gateway, new { work_ms = 10 });
        var failing = await Submit(gateway, new { fail = true });
        var after = await Submit(gateway, new { work_ms = 10 });
        await Eventually.Until(async () => (await All(gateway)).Single(o => o.OrderId == slow.OrderId).Status, status => status == "processing",
            $"order {slow.OrderId} to be processing");
        // Submitted while the slow order runs (its 3 s leave room on a loaded machine) to show the FIFOs side by side.
        var invoices = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Submit(gateway, new { n = i, work_ms = 300 }, fifo: "invoices")));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.DeleteAsync($"/v1/orders/{waiting.OrderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.Http.DeleteAsync($"/v1/orders/{slow.OrderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Http.DeleteAsync("/v1/orders/ord-none")).StatusCode);

        var settled = await WaitUntilSettled(gateway, 8, TimeSpan.FromSeconds(60));
        var byId = settled.ToDictionary(o => o.OrderId);
        Assert.Equal(("discarded", (DateTime?)null), (byId[waiting.OrderId].Status, byId[waiting.OrderId].Started));
        Assert.Equal("discarded", byId[failing.OrderId].Status);
        Assert.Contains("asked to fail", byId[failing.OrderId].Reason);
        Assert.Contains("failed 2 times", byId[failing.OrderId].Reason);
        Assert.Equal("done", byId[after.OrderId].Status);
        Assert.Equal("done", byId[slow.OrderId].Status);

        var ordersFifo = settled.Where(o => o.Fifo == "orders").ToList();
        var invoicesFifo = settled.Where(o => o.Fifo == "invoices").ToList();
        AssertSequential(ordersFifo);
        AssertSequential(invoicesFifo);
        // The FIFOs ran side by side: an invoice was processed while the slow order was.
        Assert.Contains(invoicesFifo, i => i.Started < byId[slow.OrderId].Finished);
        Assert.Equal(invoices.Length, invoicesFifo.Count);
    }

    [Fact]
    public async Task A_line_s_summary_counts_its_waiting_orders_and_names_the_lease_of_the_running_one()
    {
        await using var store = await OrdersDatabase.CreateAsync(Directory);
        using var worker = ServiceProcess.Start("Fanout.Samples", Environment(store), "fifo");
        await worker.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());

        var slow = await Submit(gateway, new { work_ms = 8000 });
        foreach (var i in Enumerable.Range(0, 3))
            await Submit(gateway, new { n = i, work_ms = 10 });
        await Eventually.Until(async () => (await All(gateway)).Single(o => o.OrderId == slow.OrderId).Status,
            status => status == "processing", $"order {slow.OrderId} to be processing");

        // The line's summary counts every order and names the lease the running order was started under.
        var line = await Line(gateway, "orders");
        Assert.Equal((3, 1), (line.GetProperty("standby").GetInt64(), line.GetProperty("processing").GetInt64()));
        var running = line.GetProperty("running");
        Assert.Equal(slow.OrderId, running.GetProperty("order_id").GetString());
        var lease = line.GetProperty("lease");
        Assert.True(lease.GetProperty("held").GetBoolean(), line.ToString());
        Assert.StartsWith(running.GetProperty("worker").GetString() + ":", lease.GetProperty("holder").GetString());
        Assert.Equal(lease.GetProperty("token").GetInt64(), running.GetProperty("fencing_token").GetInt64());

        var settled = await WaitUntilSettled(gateway, 4, TimeSpan.FromSeconds(60));
        Assert.All(settled, o => Assert.Equal("done", o.Status));
        line = await Line(gateway, "orders");
        Assert.Equal((0, 0), (line.GetProperty("standby").GetInt64(), line.GetProperty("processing").GetInt64()));
        Assert.Equal(JsonValueKind.Null, line.GetProperty("running").ValueKind);
    }

    static async Task<JsonElement> Line(GatewayHost gateway, string fifo) =>
        JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/fifos")).RootElement.GetProperty("lines")
            .EnumerateArray().Single(l => l.GetProperty("fifo").GetString() == fifo);

    [Fact]
    public async Task Bad_order_requests_get_problem_json()
    {
        await using var store = await OrdersDatabase.CreateAsync(Directory);
        var (first, second) = await StartWorkers(Environment(store));
        using var a = first;
        using var b = second;
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());

        async Task Expect(HttpStatusCode code, Task<HttpResponseMessage> call, string reason)
        {
            var response = await call;
            Assert.Equal(code, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        }

        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/orders", new StringContent("{\"a\":", Encoding.UTF8, "application/json")), "not valid JSON");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/orders?fifo=bad%20name", Json(new { a = 1 })), "bad name");
        await Expect(HttpStatusCode.NotFound, gateway.Http.GetAsync("/v1/orders/ord-unknown"), "ord-unknown");
        await Expect(HttpStatusCode.MethodNotAllowed, gateway.Http.PutAsync("/v1/orders/ord-1", Json(new { })), "PUT");
        await Expect(HttpStatusCode.MethodNotAllowed, gateway.Http.PatchAsync("/v1/orders", Json(new { })), "PATCH");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.GetAsync("/v1/orders?status=sleeping"), "sleeping");
        var order = await Submit(gateway, new { fifo = "orders", note = "field picks the FIFO" });
        Assert.Equal("orders", order.Fifo);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync($"/v1/orders/{order.OrderId}")).StatusCode);
    }
}
