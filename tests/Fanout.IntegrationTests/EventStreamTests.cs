using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// <c>GET /v1/events</c> over real HTTP while runs go through the orchestrator and services on RabbitMQ.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class EventStreamTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    Task<BusHost> StartOrchestrator(string gatewayUrl) => BusHost.StartAsync(Url, Directory.File("fanout.db"),
        (bus, configuration) => bus.AddOrchestrator(configuration),
        new Dictionary<string, string?> { ["Fanout:Orchestrator:GatewayUrl"] = gatewayUrl });

    Task<BusHost> StartServices() => BusHost.StartAsync(Url, null, (bus, _) =>
    {
        foreach (var i in Enumerable.Range(1, 4))
            bus.AddService<SlowTarget>($"t.slow{i}");
        bus.AddService<RecordingCallback>("ev.callback");
    });

    static async Task Start(GatewayHost gateway, string cid)
    {
        var body = JsonSerializer.Serialize(new
        {
            cid, callbacks = new[] { "ev.callback" },
            targets = Enumerable.Range(1, 4).ToDictionary(i => $"t.slow{i}", i => i),
        });
        var accepted = await gateway.Http.PostAsync("/v1/parallel", new StringContent(body, Encoding.UTF8,
            "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    static JsonElement Data(SseItem<string> item) => JsonDocument.Parse(item.Data).RootElement;

    static string Cid(SseItem<string> item) => Data(item).GetProperty("run").GetProperty("cid").GetString()!;

    static string Change(SseItem<string> item) => Data(item).GetProperty("change").GetString()!;

    static Func<SseItem<string>, bool> Ended(string cid) =>
        item => item.EventType == "run" && Cid(item) == cid && Change(item) == "completed";

    [Fact]
    public async Task A_run_started_over_http_streams_from_started_to_completed_and_a_cid_filter_keeps_others_out()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, url);
        using var timeout = new CancellationTokenSource(Patience);
        await using var all = await EventStreamClient.OpenAsync(gateway.Http, cancellationToken: timeout.Token);
        await using var one = await EventStreamClient.OpenAsync(gateway.Http, "?cid=ev-one",
            cancellationToken: timeout.Token);
        Assert.Equal("text/event-stream", one.Response.Content.Headers.ContentType?.MediaType);

        await Start(gateway, "ev-other");
        await Start(gateway, "ev-one");

        var ended = new HashSet<string>();
        var seenByAll = await all.ReadUntilAsync(i =>
            (Change(i) != "completed" || ended.Add(Cid(i))) && ended.Count == 2);
        var seenByOne = await one.ReadUntilAsync(Ended("ev-one"));
        foreach (var item in seenByOne)
            output.WriteLine($"{item.EventId} {item.EventType} {item.Data}");

        Assert.All(seenByOne, item => Assert.Equal("ev-one", Cid(item)));
        Assert.Equal("started", Change(seenByOne[0]));
        var finished = seenByOne.SelectMany(i => Data(i).GetProperty("finished").EnumerateArray())
            .Select(t => t.GetProperty("target").GetString()).Order().ToList();
        Assert.Equal(["t.slow1", "t.slow2", "t.slow3", "t.slow4"], finished);
        var ids = seenByOne.Select(i => long.Parse(i.EventId!)).ToList();
        Assert.Equal(ids.Order(), ids);
        // The unfiltered stream heard the other run too: the filter, not chance, kept it from the first.
        Assert.Contains(seenByAll, i => Cid(i) == "ev-other" && Change(i) == "started");
        Assert.Contains(seenByAll, i => Cid(i) == "ev-other" && Change(i) == "completed");
    }

    [Fact]
    public async Task A_stream_resumed_with_last_event_id_gets_the_events_it_missed()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, url);
        using var timeout = new CancellationTokenSource(Patience);

        string startedId;
        await using (var first = await EventStreamClient.OpenAsync(gateway.Http, cancellationToken: timeout.Token))
        {
            await Start(gateway, "ev-resume");
            var started = (await first.ReadUntilAsync(i => i.EventType == "run")).Single();
            Assert.Equal("started", Change(started));
            startedId = started.EventId!;
        }

        // The run ends while no stream is open.
        var ended = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/fanouts/ev-resume?wait_ms=30000"))
            .RootElement.GetProperty("state").GetString();
        Assert.Equal("completed", ended);

        await using var resumed = await EventStreamClient.OpenAsync(gateway.Http, "?cid=ev-resume", startedId,
            timeout.Token);
        var missed = await resumed.ReadUntilAsync(Ended("ev-resume"));
        Assert.All(missed, i => Assert.True(long.Parse(i.EventId!) > long.Parse(startedId)));
        Assert.DoesNotContain(missed, i => Change(i) == "started");
        var finished = missed.Sum(i => Data(i).GetProperty("finished").GetArrayLength());
        Assert.Equal(4, finished);
    }

    [Fact]
    public async Task An_order_streams_standby_processing_done_and_a_fifo_filter_keeps_other_lines_out()
    {
        await using var store = await OrdersDatabase.CreateAsync(Directory);
        using var worker = ServiceProcess.Start("Fanout.Samples", new Dictionary<string, string>
        {
            ["FANOUT_RABBITMQ"] = Url, ["FANOUT_ORDERS_DATABASE"] = store.Setting,
        }, "fifo");
        await worker.WaitForOutput("Bus started", Patience);
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());
        using var timeout = new CancellationTokenSource(Patience);
        await using var orders = await EventStreamClient.OpenAsync(gateway.Http, "?fifo=orders",
            cancellationToken: timeout.Token);
        await using var other = await EventStreamClient.OpenAsync(gateway.Http, "?fifo=invoices&types=order",
            cancellationToken: timeout.Token);

        var accepted = await gateway.Http.PostAsync("/v1/orders", new StringContent("""{"work_ms":50}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement
            .GetProperty("order_id").GetString();
        var invoice = await gateway.Http.PostAsync("/v1/orders?fifo=invoices", new StringContent("{}",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, invoice.StatusCode);

        static JsonElement Order(SseItem<string> item) => Data(item).GetProperty("order");
        var seen = await orders.ReadUntilAsync(i =>
            Order(i).GetProperty("order_id").GetString() == id && Order(i).GetProperty("status").GetString() == "done");
        Assert.All(seen, i => Assert.Equal("order", i.EventType));
        Assert.All(seen, i => Assert.Equal("orders", Order(i).GetProperty("fifo").GetString()));
        var statuses = seen.Where(i => Order(i).GetProperty("order_id").GetString() == id)
            .Select(i => Order(i).GetProperty("status").GetString());
        Assert.Equal(["standby", "processing", "done"], statuses);
        // The other line's stream heard its own order, never this one.
        var invoices = await other.ReadUntilAsync(_ => true);
        Assert.Equal("invoices", Order(invoices[0]).GetProperty("fifo").GetString());
    }

    [Fact]
    public async Task Unknown_filters_are_refused_and_the_api_key_guards_the_stream()
    {
        var url = GatewayHost.FreeUrl();
        await using var gateway = await GatewayHost.StartAsync(Url, url, apiKey: "k-123");
        var anonymous = await gateway.Http.GetAsync("/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        gateway.Http.DefaultRequestHeaders.Add("X-Api-Key", "k-123");
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.Http.GetAsync("/v1/events?types=runs")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.Http.GetAsync("/v1/events?state=done")).StatusCode);
        using var timeout = new CancellationTokenSource(Patience);
        await using var stream = await EventStreamClient.OpenAsync(gateway.Http, cancellationToken: timeout.Token);
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
    }
}
