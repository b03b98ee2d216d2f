using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Bus.Naming;
using Fanout.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>
/// The reference long-running scenario as a deployment runs it: orchestrator, gateway and the batch sample (order
/// endpoint, three jobs, stand-in partner systems) as separate processes on RabbitMQ, with a real orchestrator crash.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class BatchScenarioTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    [Fact]
    public async Task An_order_survives_an_orchestrator_crash_while_its_jobs_are_pending()
    {
        var gatewayUrl = GatewayHost.FreeUrl();
        var samplesUrl = GatewayHost.FreeUrl();
        var environment = Environment(gatewayUrl, samplesUrl, ("batchJobA", 6000), ("batchJobB", 4000), ("batchJobC", 1000));
        var orchestrator = ServiceProcess.Start("Fanout.Orchestrator", environment);
        using var gateway = ServiceProcess.Start("Fanout.Gateway", environment);
        using var samples = ServiceProcess.Start("Fanout.Samples", environment, "batch");
        try
        {
            await orchestrator.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
            await gateway.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
            await samples.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

            var accepted = await http.PostAsJsonAsync($"{samplesUrl}/orders", new { parameters = new { customer = "acme", items = 3 } });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var order = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement;
            var cid = order.GetProperty("cid").GetString()!;
            Assert.Equal(["batchJobA", "batchJobB", "batchJobC"], order.GetProperty("jobs").EnumerateObject().Select(j => j.Name).Order());

            // batchJobC reports after 1 s; then the orchestrator dies with A and B still processing.
            await WaitForState(http, gatewayUrl, cid, s => s.GetProperty("targets").GetProperty("batchJobC").GetProperty("status").GetString() == "completed");
            orchestrator.Kill();
            output.WriteLine("orchestrator killed");
            orchestrator.Dispose();
            orchestrator = ServiceProcess.Start("Fanout.Orchestrator", environment);
            await orchestrator.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));

            var done = await WaitForState(http, gatewayUrl, cid, s => s.GetProperty("state").GetString() == "completed");
            Assert.All(done.GetProperty("targets").EnumerateObject(), t => Assert.True(t.Value.GetProperty("result").GetProperty("ok").GetBoolean()));
            await samples.WaitForOutput("\"callback\":\"sample.order-completed\"", TimeSpan.FromSeconds(20));
            // The saga answers a cancel of the finished run only after it handled every earlier message of the run, so
            // a repeated fan-in would be queued for the callback by now; a run started after that reaches the same
            // callback queue behind it.
            Assert.Equal(HttpStatusCode.Conflict, (await http.DeleteAsync($"{gatewayUrl}/v1/fanouts/{cid}")).StatusCode);
            var sentinel = await http.PostAsJsonAsync($"{gatewayUrl}/v1/fanouts", new Dictionary<string, object>
            {
                ["cid"] = "batch-sentinel", ["targets"] = new Dictionary<string, object> { ["nobody.sentinel"] = new { } },
                ["on_final"] = new[] { "sample.order-completed" }, ["deadline_ms"] = 1,
            });
            Assert.Equal(HttpStatusCode.Accepted, sentinel.StatusCode);
            await Eventually.Until(() => samples.Stdout, text => text.Split('\n').Any(l => l.Contains("\"callback\":\"sample.order-completed\"") && l.Contains("batch-sentinel")),
                "the sentinel run's fan-in in the samples process", TimeSpan.FromSeconds(30), _ => "not printed");
            var finals = samples.Stdout.Split('\n').Count(l => l.Contains("\"callback\":\"sample.order-completed\"") && l.Contains(cid));
            Assert.Equal(1, finals);
        }
        finally
        {
            orchestrator.Dispose();
        }
    }

    /// <summary>
    /// The seed's partner as it is: it gets <c>{jobId, orderId, timeout}</c>, answers 202, waits <c>timeout</c> seconds
    /// and posts exactly that body to the one results URL; the gateway reads the handle from <c>jobId</c>.
    /// </summary>
    [Fact]
    public async Task An_order_completes_with_the_bodies_its_partners_post_back_to_the_results_url()
    {
        var gatewayUrl = GatewayHost.FreeUrl();
        var samplesUrl = GatewayHost.FreeUrl();
        var environment = Environment(gatewayUrl, samplesUrl, ("batchJobA", 1500), ("batchJobB", 1000), ("batchJobC", 500));
        using var orchestrator = ServiceProcess.Start("Fanout.Orchestrator", environment);
        using var gateway = ServiceProcess.Start("Fanout.Gateway", environment);
        using var samples = ServiceProcess.Start("Fanout.Samples", environment, "batch");
        await orchestrator.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
        await gateway.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
        await samples.WaitForOutput("Bus started", TimeSpan.FromSeconds(60));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var accepted = await http.PostAsJsonAsync($"{samplesUrl}/orders", new { parameters = new { customer = "acme" } });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var cid = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("cid").GetString()!;

        var done = await WaitForState(http, gatewayUrl, cid, s => s.GetProperty("state").GetString() == "completed");
        var expectedTimeout = new Dictionary<string, double> { ["batchJobA"] = 1.5, ["batchJobB"] = 1, ["batchJobC"] = 0.5 };
        foreach (var target in done.GetProperty("targets").EnumerateObject())
        {
            var result = target.Value.GetProperty("result");
            Assert.True(result.GetProperty("ok").GetBoolean());
            // The response is the partner's body, no more and no less: the handle it was given, the order, its timeout.
            var response = result.GetProperty("response");
            Assert.Equal(["jobId", "orderId", "timeout"], response.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(cid, response.GetProperty("orderId").GetString());
            Assert.Equal(expectedTimeout[target.Name], response.GetProperty("timeout").GetDouble());
            Assert.True(CompletionHandles.TryRead(response.GetProperty("jobId").GetString(), out var handleCid, out var handleKey, out _));
            Assert.Equal((cid, target.Name), (handleCid, handleKey));
        }

        Assert.Equal(3, done.GetProperty("targets").EnumerateObject().Count());
        await samples.WaitForOutput("\"callback\":\"sample.order-completed\"", TimeSpan.FromSeconds(20));
    }

    /// <summary>Orchestrator, gateway and batch sample on this test's virtual host; each job works for the given time.</summary>
    Dictionary<string, string> Environment(string gatewayUrl, string samplesUrl, params (string Job, int WaitMs)[] jobs)
    {
        var environment = new Dictionary<string, string>
        {
            ["FANOUT_RABBITMQ"] = Url,
            ["FANOUT_DATABASE"] = Directory.File("fanout.db"),
            ["Fanout__Gateway__Url"] = gatewayUrl,
            ["Fanout__Gateway__ResultHandleField"] = "jobId",
            ["Fanout__Orchestrator__GatewayUrl"] = gatewayUrl,
            ["Samples__Batch__Url"] = samplesUrl,
            ["Samples__Batch__ResultsUrl"] = $"{gatewayUrl}/v1/results",
        };
        foreach (var (job, waitMs) in jobs)
            environment[$"Samples__Batch__WaitMs__{job}"] = waitMs.ToString();
        return environment;
    }

    static async Task<JsonElement> WaitForState(HttpClient http, string gatewayUrl, string cid, Func<JsonElement, bool> condition)
    {
        var (_, status) = await Eventually.Until(async () =>
            {
                var response = await http.GetAsync($"{gatewayUrl}/v1/fanouts/{cid}");
                var body = await response.Content.ReadAsStringAsync();
                return (body, response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement : (JsonElement?)null);
            },
            seen => seen.Item2 is { } s && condition(s), $"run {cid} to reach the expected state", TimeSpan.FromSeconds(60),
            seen => seen.body);
        return status!.Value;
    }
}
