using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>The long-running scenario over real HTTP: gateway on loopback, orchestrator and services on RabbitMQ, SQLite.</summary>
[Collection(BrokerCollection.Name)]
public sealed class GatewayTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    static readonly string[] Jobs = ["batchJobA", "batchJobB", "batchJobC"];

    Task<BusHost> StartOrchestrator(string gatewayUrl) => BusHost.StartAsync(Url, Directory.File("fanout.db"),
        (bus, configuration) => bus.AddOrchestrator(configuration),
        new Dictionary<string, string?>
        {
            ["Fanout:Orchestrator:GatewayUrl"] = gatewayUrl,
            ["Fanout:Orchestrator:SweepInterval"] = "00:00:00.250",
        });

    Task<BusHost> StartServices() => BusHost.StartAsync(Url, null, (bus, _) =>
    {
        foreach (var job in Jobs)
            bus.AddService<DeferredTarget>(job);
        foreach (var i in Enumerable.Range(1, 6))
            bus.AddService<SlowTarget>($"t.slow{i}");
        bus.AddService<RecordingCallback>("it.final").AddService<RecordingCallback>("it.target");
    });

    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    static string Order(string cid, long? deadlineMs = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["cid"] = cid,
        ["targets"] = Jobs.ToDictionary(j => j, j => new { parameters = new { job = j } }),
        ["on_final"] = new[] { "it.final" },
        ["on_target"] = new[] { "it.target" },
        ["deadline_ms"] = deadlineMs,
    });

    static HttpRequestMessage Result(string url, string? token, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
        if (token is not null)
            request.Headers.Add("X-Completion-Token", token);
        return request;
    }

    static async Task<JsonElement> Status(GatewayHost gateway, string cid) =>
        JsonDocument.Parse(await gateway.Http.GetStringAsync($"/v1/fanouts/{cid}")).RootElement;

    [Fact]
    public async Task Results_posted_later_complete_the_fanout_once_even_when_they_arrive_together()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, url);

        var accepted = await gateway.Http.PostAsync("/v1/fanouts", Json(Order("order-1", deadlineMs: 540_000)));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("/v1/fanouts/order-1", accepted.Headers.Location!.ToString());
        await services.Recorder.WaitFor(all => Jobs.All(j => all.Any(i => i.Service == j)));
        var status = await Status(gateway, "order-1");
        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.All(Jobs, j => Assert.Equal("processing", status.GetProperty("targets").GetProperty(j).GetProperty("status").GetString()));

        var tokens = services.Services.GetRequiredService<DeferredTokens>();
        var posts = Jobs.Select(j =>
        {
            var (token, callbackUrl) = tokens.Get("order-1", j);
            Assert.StartsWith(url, callbackUrl);
            return gateway.Http.SendAsync(Result(callbackUrl, token,
                JsonSerializer.Serialize(new { ok = true, response = new { job = j, rows = 42 } })));
        });
        Assert.All(await Task.WhenAll(posts), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var final = (await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final"))).Single(i => i.Service == "it.final");
        Assert.Equal(Jobs, final.Request.GetProperty("data").EnumerateObject().Select(p => p.Name).Order());
        status = await Status(gateway, "order-1");
        Assert.Equal(("completed", "requested"), (status.GetProperty("state").GetString(), status.GetProperty("final_callbacks").GetString()));
        Assert.All(Jobs, j => Assert.Equal("completed", status.GetProperty("targets").GetProperty(j).GetProperty("status").GetString()));

        // Idempotent: the same result again is 200, a different one 409; forged and cross-target tokens 403; unknown 404.
        var (tokenA, urlA) = tokens.Get("order-1", "batchJobA");
        var (_, urlB) = tokens.Get("order-1", "batchJobB");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.SendAsync(Result(urlA, tokenA, """{"ok":true,"response":{"rows":42,"job":"batchJobA"}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.Http.SendAsync(Result(urlA, tokenA, """{"ok":false,"exception":"boom"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.Http.SendAsync(Result(urlB, tokenA, """{"ok":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.Http.SendAsync(Result(urlA, "forged-token", """{"ok":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Http.SendAsync(Result(urlA, null, """{"ok":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Http.SendAsync(Result("/v1/fanouts/no-such/targets/batchJobA/result", tokenA, """{"ok":true}"""))).StatusCode);
        Assert.Equal(CancelOutcome.AlreadyFinished, (await services.SagaSentinel("order-1")).Outcome);
        await BusActivity.WaitForIdle([orchestrator.Activity, services.Activity]);
        Assert.Single(services.Recorder.Of("it.final", "order-1"));
        Assert.Equal(3, services.Recorder.Of("it.target", "order-1").Count);
    }

    [Fact]
    public async Task At_the_deadline_jobs_still_processing_time_out_and_late_results_are_refused()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, url);
        Assert.Equal(HttpStatusCode.Accepted, (await gateway.Http.PostAsync("/v1/fanouts", Json(Order("order-2", deadlineMs: 2000)))).StatusCode);
        await services.Recorder.WaitFor(all => Jobs.All(j => all.Any(i => i.Service == j && i.Cid == "order-2")));
        var tokens = services.Services.GetRequiredService<DeferredTokens>();
        var (tokenA, urlA) = tokens.Get("order-2", "batchJobA");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.SendAsync(Result(urlA, tokenA, """{"ok":true,"response":1}"""))).StatusCode);

        var final = (await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final" && i.Cid == "order-2"), TimeSpan.FromSeconds(20)))
            .Single(i => i.Service == "it.final");
        var data = final.Request.GetProperty("data");
        Assert.True(data.GetProperty("batchJobA").GetProperty("ok").GetBoolean());
        Assert.Contains("TimeoutException", data.GetProperty("batchJobB").GetProperty("exception").GetString());
        var status = await Status(gateway, "order-2");
        Assert.Equal("timed_out", status.GetProperty("state").GetString());
        Assert.Equal("timed_out", status.GetProperty("targets").GetProperty("batchJobC").GetProperty("status").GetString());

        var (tokenC, urlC) = tokens.Get("order-2", "batchJobC");
        var late = await gateway.Http.SendAsync(Result(urlC, tokenC, """{"ok":true}"""));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("timed out", await late.Content.ReadAsStringAsync());
        Assert.Equal(CancelOutcome.AlreadyFinished, (await services.SagaSentinel("order-2")).Outcome);
        await BusActivity.WaitForIdle([orchestrator.Activity, services.Activity]);
        Assert.Single(services.Recorder.Of("it.final", "order-2"));
    }

    [Fact]
    public async Task Pending_jobs_still_complete_after_the_orchestrator_restarts()
    {
        var url = GatewayHost.FreeUrl();
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, url);
        await using (var first = await StartOrchestrator(url))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await gateway.Http.PostAsync("/v1/fanouts", Json(Order("order-3")))).StatusCode);
            await services.Recorder.WaitFor(all => Jobs.All(j => all.Any(i => i.Service == j && i.Cid == "order-3")));
        }

        await using var second = await StartOrchestrator(url);
        var tokens = services.Services.GetRequiredService<DeferredTokens>();
        foreach (var job in Jobs)
        {
            var (token, callbackUrl) = tokens.Get("order-3", job);
            Assert.Equal(HttpStatusCode.OK, (await gateway.Http.SendAsync(Result(callbackUrl, token, """{"ok":true}"""))).StatusCode);
        }

        await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final" && i.Cid == "order-3"));
        Assert.Equal("completed", (await Status(gateway, "order-3")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Cancel_records_unfinished_jobs_as_cancelled_and_runs_the_fan_in_once()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, url);
        await gateway.Http.PostAsync("/v1/fanouts", Json(Order("order-4")));
        await services.Recorder.WaitFor(all => Jobs.All(j => all.Any(i => i.Service == j && i.Cid == "order-4")));

        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.DeleteAsync("/v1/fanouts/order-4")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.Http.DeleteAsync("/v1/fanouts/order-4")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Http.DeleteAsync("/v1/fanouts/no-such-cid")).StatusCode);

        var final = (await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final" && i.Cid == "order-4"))).Single(i => i.Service == "it.final");
        Assert.All(Jobs, j => Assert.Contains("cancelled", final.Request.GetProperty("data").GetProperty(j).GetProperty("exception").GetString()));
        Assert.Equal("cancelled", (await Status(gateway, "order-4")).GetProperty("state").GetString());
        var list = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/fanouts?state=cancelled&limit=10")).RootElement;
        Assert.Equal("order-4", list.GetProperty("items")[0].GetProperty("cid").GetString());
    }

    [Fact]
    public async Task Max_concurrency_limits_targets_in_flight()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, url);
        var body = JsonSerializer.Serialize(new
        {
            cid = "limited-http", callbacks = new[] { "it.target" }, max_concurrency = 2,
            targets = Enumerable.Range(1, 6).ToDictionary(i => $"t.slow{i}", i => i),
        });

        Assert.Equal(HttpStatusCode.Accepted, (await gateway.Http.PostAsync("/v1/parallel", Json(body))).StatusCode);

        await services.Recorder.WaitFor(all => all.Count(i => i.Service == "it.target" && i.Cid == "limited-http") == 6, TimeSpan.FromSeconds(30));
        var max = services.Services.GetRequiredService<ConcurrencyMeter>().Max;
        output.WriteLine($"max in flight: {max}");
        Assert.Equal(2, max);
    }

    [Fact]
    public async Task Bad_input_gets_problem_json_with_a_reason()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var gateway = await GatewayHost.StartAsync(Url, url, maxBodyBytes: 2048);

        async Task Expect(HttpStatusCode code, Task<HttpResponseMessage> call, string reason, string? errorCode = null)
        {
            var response = await call;
            Assert.Equal(code, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains(reason, body);
            if (errorCode is not null)
                Assert.Contains(errorCode, JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray()
                    .Select(e => e.GetProperty("code").GetString()));
        }

        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/fanouts", Json("{\"targets\": {")), "not valid JSON", "invalid_json");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/fanouts", Json("""{"on_final":["it.final"]}""")), "at least one target");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/fanouts", Json("""{"targets":{}, "on_final":["it.final"]}""")), "at least one target");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/fanouts", Json("""{"targets":{"bad name":1}, "on_final":["it.final"]}""")), "bad name", "invalid_service_name");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/fanouts",
            Json("""{"targets":{"amq.gen-x":{}},"on_final":["my.callback1"]}""")), "reserved by RabbitMQ", "invalid_service_name");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/parallel",
            Json("""{"targets":{"a":1},"callbacks":["amq.direct"]}""")), "reserved by RabbitMQ", "invalid_service_name");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/fanouts", Json("""{"targets":{"a":1}, "on_final":["it.final"], "deadline_ms": -5}""")), "deadline_ms");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/fanouts", Json("""{"targets":{"a":1}, "on_final":["it.final"], "deadline_ms": 99999999999}""")), "deadline_ms");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/parallel", Json("""{"targets":{"a":1}}""")), "at least one callback");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/parallel", Json("""{"targets":{"a":1},"callbacks":["it.cb"],"on_final":["it.final"]}""")), "no final callbacks");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/fanouts", Json("""{"targets":{"a":1},"on_final":["it.final"],"calls":{}}""")), "calls");
        await Expect(HttpStatusCode.UnsupportedMediaType, gateway.Http.PostAsync("/v1/fanouts", new StringContent("{}", Encoding.UTF8, "text/plain")), "application/json", "unsupported_media_type");
        await Expect(HttpStatusCode.RequestEntityTooLarge, gateway.Http.PostAsync("/v1/fanouts", Json("{\"targets\":{\"a\":\"" + new string('x', 4000) + "\"}}")), "Fanout:Gateway:MaxRequestBodyBytes", "body_too_large");
        await Expect(HttpStatusCode.NotFound, gateway.Http.GetAsync("/v1/fanouts/no-such-cid"), "no-such-cid", "not_found");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.GetAsync("/v1/fanouts?state=sleeping"), "sleeping", "unknown_state");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.GetAsync("/v1/fanouts?limit=501"), "between 1 and 500", "limit_out_of_range");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.GetAsync("/v1/orders?limit=0"), "between 1 and 500", "limit_out_of_range");
        await Expect(HttpStatusCode.BadRequest, gateway.Http.PostAsync("/v1/orders?fifo=amq.orders", Json("{}")), "reserved by RabbitMQ",
            "invalid_service_name");
        await Expect(HttpStatusCode.NotFound, gateway.Http.GetAsync("/v2/nothing"), "No such endpoint", "not_found");

        Assert.Equal(HttpStatusCode.Accepted, (await gateway.Http.PostAsync("/v1/fanouts", Json("""{"cid":"dup-http","targets":{"a":1},"on_final":["it.final"]}"""))).StatusCode);
        await Expect(HttpStatusCode.Conflict, gateway.Http.PostAsync("/v1/fanouts", Json("""{"cid":"dup-http","targets":{"b":1},"on_final":["it.final"]}""")), "already in use", "duplicate_cid");
        var list = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/fanouts")).RootElement.GetProperty("items");
        Assert.Equal(["dup-http"], list.EnumerateArray().Select(i => i.GetProperty("cid").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task A_configured_api_key_is_required_except_for_result_posts_and_health()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await StartOrchestrator(url);
        await using var gateway = await GatewayHost.StartAsync(Url, url, apiKey: "s3cret-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Http.GetAsync("/v1/fanouts")).StatusCode);
        var withKey = new HttpRequestMessage(HttpMethod.Get, "/v1/fanouts");
        withKey.Headers.Add("X-Api-Key", "s3cret-key");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.SendAsync(withKey)).StatusCode);
        // A result post is judged by its completion token, not the API key.
        Assert.Equal(HttpStatusCode.NotFound,
            (await gateway.Http.SendAsync(Result("/v1/fanouts/none/targets/a/result", "some-token", """{"ok":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync("/health")).StatusCode);
    }
}
