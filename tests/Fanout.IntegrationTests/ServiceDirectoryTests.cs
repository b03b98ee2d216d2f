using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;

namespace Fanout.IntegrationTests;

/// <summary>
/// The directory of live services over real HTTP: a services host announces itself on RabbitMQ, the orchestrator
/// records it in SQLite, the gateway lists it and warns of (or refuses) runs naming services nobody hosts.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ServiceDirectoryTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    Task<BusHost> StartOrchestrator(string gatewayUrl) => BusHost.StartAsync(Url, Directory.File("fanout.db"),
        (bus, configuration) => bus.AddOrchestrator(configuration),
        new Dictionary<string, string?> { ["Fanout:Orchestrator:GatewayUrl"] = gatewayUrl });

    Task<BusHost> StartServices() => BusHost.StartAsync(Url, null, (bus, _) =>
        bus.AddService<SlowTarget>("dir.target").AddService<RecordingCallback>("dir.callback"));

    static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    static async Task<JsonElement> Body(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>
    /// Asks until <paramref name="service"/> is listed (hosts announce at start, the directory is a bus hop away).
    /// </summary>
    static async Task<JsonElement> Listed(GatewayHost gateway, string service)
    {
        var list = await Eventually.Until(
            async () => JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/services")).RootElement,
            list => Entries(list, service).Any(), $"'{service}' to be listed", TimeSpan.FromSeconds(30),
            list => list.ToString());
        return Entries(list, service).First();
    }

    static IEnumerable<JsonElement> Entries(JsonElement list, string service) =>
        list.GetProperty("services").EnumerateArray().Where(s => s.GetProperty("service").GetString() == service);

    [Fact]
    public async Task A_services_host_appears_in_the_directory_with_its_process()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, url);

        var target = await Listed(gateway, "dir.target");

        var instance = Assert.Single(target.GetProperty("instances").EnumerateArray());
        Assert.Equal(Environment.MachineName, instance.GetProperty("host").GetString());
        Assert.Equal(Environment.ProcessId, instance.GetProperty("process_id").GetInt32());
        Assert.Equal(32, instance.GetProperty("concurrency").GetInt32());
        Assert.False(string.IsNullOrEmpty(instance.GetProperty("version").GetString()));
        var lastSeen = instance.GetProperty("last_seen_utc").GetDateTime();
        Assert.InRange(lastSeen, DateTime.UtcNow.AddSeconds(-30), DateTime.UtcNow.AddSeconds(5));
        var names = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/services")).RootElement
            .GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service").GetString()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("dir.callback", names);
    }

    [Fact]
    public async Task A_run_naming_a_service_nobody_hosts_starts_with_a_warning_or_is_refused_when_asked()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, url);
        await Listed(gateway, "dir.callback");
        await Listed(gateway, "dir.target");

        var misspelt = await gateway.Http.PostAsync("/v1/parallel", Json(new
        {
            cid = "dir-warned", callbacks = new[] { "dir.callback" },
            targets = new Dictionary<string, int> { ["dir.target"] = 1, ["dir.traget"] = 2 },
        }));
        Assert.Equal(HttpStatusCode.Accepted, misspelt.StatusCode);
        string[] expected = ["no live host serves 'dir.traget'"];
        Assert.Equal(expected,
            (await Body(misspelt)).GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        var status = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/fanouts/dir-warned")).RootElement;
        Assert.Equal(expected, status.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));

        var served = await gateway.Http.PostAsync("/v1/parallel", Json(new
        {
            cid = "dir-fine", callbacks = new[] { "dir.callback" },
            targets = new Dictionary<string, int> { ["dir.target"] = 1 },
        }));
        Assert.Equal(HttpStatusCode.Accepted, served.StatusCode);
        Assert.False((await Body(served)).TryGetProperty("warnings", out _));

        var refused = await gateway.Http.PostAsync("/v1/fanouts", Json(new
        {
            cid = "dir-refused", require_live_services = true, on_final = new[] { "dir.calback" },
            targets = new Dictionary<string, int> { ["dir.target"] = 1 },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await Body(refused);
        Assert.Equal("unknown_service", problem.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Contains("no live host serves 'dir.calback'", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Http.GetAsync("/v1/fanouts/dir-refused")).StatusCode);
    }

    [Fact]
    public async Task The_gateway_setting_refuses_runs_naming_services_nobody_hosts_unless_the_request_says_otherwise()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var gateway = await GatewayHost.StartAsync(Url, url,
            extraSettings: new Dictionary<string, string?> { ["Fanout:Gateway:RequireLiveServices"] = "true" });
        var run = new Dictionary<string, object>
        {
            ["targets"] = new { nobody_here = 1 }, ["on_final"] = new[] { "x.y" },
        };

        var refused = await gateway.Http.PostAsync("/v1/fanouts", Json(run));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("unknown_service", (await Body(refused)).GetProperty("errors")[0].GetProperty("code").GetString());

        run["require_live_services"] = false;
        var accepted = await gateway.Http.PostAsync("/v1/fanouts", Json(run));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(2, (await Body(accepted)).GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task The_directory_shows_each_service_s_calls_and_the_gateway_its_queue()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var services = await BusHost.StartAsync(Url, null,
            (bus, _) => bus.AddService<OkTarget>("calls.ok").AddService<ThrowingTarget>("calls.boom")
                .AddService<RecordingCallback>("calls.final"),
            new Dictionary<string, string?> { ["Fanout:Services:AnnounceInterval"] = "00:00:01" });
        await using var gateway = await GatewayHost.StartAsync(Url, url);
        await Listed(gateway, "calls.boom");

        await Listed(gateway, "calls.final");
        var started = await gateway.Http.PostAsync("/v1/fanouts", Json(new
        {
            cid = "calls-counted", on_final = new[] { "calls.final" },
            calls = new object[]
            {
                new { service = "calls.ok", request = 1 }, new { service = "calls.ok", request = 2 },
                new { service = "calls.ok", request = 3 }, new { service = "calls.boom", request = 4 },
            },
        }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        // Targets and the final callback count. Announcements follow every second; the counts reach the directory with the next one after the calls end.
        var list = await Eventually.Until(
            async () => JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/services")).RootElement,
            list => Calls(list, "calls.ok").GetProperty("calls_total").GetInt64() == 3
                && Calls(list, "calls.boom").GetProperty("calls_total").GetInt64() == 1
                && Calls(list, "calls.final").GetProperty("calls_total").GetInt64() == 1,
            "the calls to be counted", TimeSpan.FromSeconds(30), list => list.ToString());
        var ok = Calls(list, "calls.ok");
        Assert.Equal(3, ok.GetProperty("calls_last_minute").GetInt64());
        Assert.Equal(0, ok.GetProperty("failures_last_minute").GetInt64());
        Assert.Equal(0, ok.GetProperty("in_flight").GetInt32());
        var boom = Calls(list, "calls.boom");
        Assert.Equal(1, boom.GetProperty("failures_last_minute").GetInt64());
        Assert.Equal(1, boom.GetProperty("failures_total").GetInt64());
        var cli = await CliRun.Of("services", "--rabbitmq", Url, "--json");
        Assert.Equal(0, cli.ExitCode);
        Assert.Equal(1, Calls(JsonDocument.Parse(cli.Out).RootElement, "calls.boom").GetProperty("failures_total")
            .GetInt64());

        // The management API's statistics lag the broker by a few seconds.
        var queues = await Eventually.Until(
            async () => JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/queues")).RootElement,
            queues => queues.GetProperty("queues").EnumerateArray().Any(q =>
                q.GetProperty("queue").GetString() == "calls.ok" && q.GetProperty("consumers").GetInt32() == 1),
            "the management API to list calls.ok with its consumer", TimeSpan.FromSeconds(30), q => q.ToString());
        Assert.True(queues.GetProperty("reachable").GetBoolean());
    }

    [Fact]
    public async Task The_gateway_says_why_when_the_management_api_is_not_reachable()
    {
        var url = GatewayHost.FreeUrl();
        var closed = GatewayHost.FreeUrl(); // nothing listens there
        await using var gateway = await GatewayHost.StartAsync(Url, url,
            extraSettings: new Dictionary<string, string?> { ["Fanout:Gateway:ManagementUrl"] = closed });

        var queues = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/queues")).RootElement;

        Assert.False(queues.GetProperty("reachable").GetBoolean());
        Assert.Empty(queues.GetProperty("queues").EnumerateArray());
        Assert.Contains($"the RabbitMQ management API at {closed.TrimEnd('/')}/ is not reachable",
            queues.GetProperty("problem").GetString());
    }

    static JsonElement Calls(JsonElement list, string service) =>
        Assert.Single(Entries(list, service).Single().GetProperty("instances").EnumerateArray()).GetProperty("calls");
}
