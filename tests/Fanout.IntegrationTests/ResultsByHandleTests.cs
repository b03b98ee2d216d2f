using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.Bus.Naming;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.IntegrationTests;

/// <summary>
/// <c>POST /v1/results</c> over real HTTP: a partner's own body, with the target's completion handle in a configured
/// field, completes that target; forged, altered and foreign handles are 401, a repeat 200, a different result 409.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ResultsByHandleTests(RabbitMqBroker broker) : VirtualHostTest(broker)
{
    static readonly string[] Jobs = ["batchJobA", "batchJobB", "batchJobC"];

    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    static string Order(string cid) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["cid"] = cid,
        ["targets"] = Jobs.ToDictionary(j => j, j => new { job = j }),
        ["on_final"] = new[] { "it.final" },
        ["deadline_ms"] = 120_000,
    });

    static string Body(object body) => JsonSerializer.Serialize(body);

    static async Task<(HttpStatusCode Status, string? Code)> Post(GatewayHost gateway, string body)
    {
        var response = await gateway.Http.PostAsync("/v1/results", Json(body));
        if (response.IsSuccessStatusCode)
            return (response.StatusCode, null);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, problem.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_partner_body_with_the_handle_completes_its_target_and_other_handles_are_refused()
    {
        var url = GatewayHost.FreeUrl();
        await using var orchestrator = await BusHost.StartAsync(Url, Directory.File("fanout.db"),
            (bus, configuration) => bus.AddOrchestrator(configuration),
            new Dictionary<string, string?> { ["Fanout:Orchestrator:GatewayUrl"] = url });
        await using var services = await BusHost.StartAsync(Url, null, (bus, _) =>
        {
            foreach (var job in Jobs)
                bus.AddService<DeferredTarget>(job);
            bus.AddService<RecordingCallback>("it.final");
        });
        await using var gateway = await GatewayHost.StartAsync(Url, url, extraSettings: new Dictionary<string, string?>
        {
            ["Fanout:Gateway:ResultHandleField"] = "jobId",
            ["Fanout:Gateway:ResultOkField"] = "succeeded",
        });

        foreach (var cid in new[] { "handles-1", "handles-2" })
            Assert.Equal(HttpStatusCode.Accepted, (await gateway.Http.PostAsync("/v1/fanouts", Json(Order(cid)))).StatusCode);
        await services.Recorder.WaitFor(all => all.Count(i => Jobs.Contains(i.Service)) == 6);
        var handles = services.Services.GetRequiredService<DeferredTokens>();
        var handleA = handles.Handle("handles-1", "batchJobA");
        Assert.True(CompletionHandles.TryRead(handleA, out var cidA, out var keyA, out var tokenA));
        Assert.Equal(("handles-1", "batchJobA"), (cidA, keyA));

        // Forged, altered and foreign handles: 401 before and after the target has its result.
        var refused = new[]
        {
            CompletionHandles.Create("handles-1", "batchJobA", new string('A', 43)),
            handleA[..^1] + (handleA[^1] == 'x' ? 'y' : 'x'),
            CompletionHandles.Create("handles-1", "batchJobB", tokenA),
            CompletionHandles.Create("handles-2", "batchJobA", tokenA),
            CompletionHandles.Create("no-such-run", "batchJobA", tokenA),
            "job-42",
        };
        foreach (var handle in refused)
            Assert.Equal((HttpStatusCode.Unauthorized, "invalid_handle"), await Post(gateway, Body(new { jobId = handle, orderId = "x" })));
        Assert.Equal((HttpStatusCode.BadRequest, "handle_required"), await Post(gateway, Body(new { job_id = handleA })));
        Assert.Equal((HttpStatusCode.BadRequest, "ok_required"), await Post(gateway, Body(new { jobId = handleA, succeeded = "yes" })));

        var partnerBody = Body(new { jobId = handleA, orderId = "handles-1", timeout = 1.5 });
        Assert.Equal((HttpStatusCode.OK, (string?)null), await Post(gateway, partnerBody));
        Assert.Equal((HttpStatusCode.OK, (string?)null), await Post(gateway, partnerBody));
        Assert.Equal((HttpStatusCode.Conflict, "result_conflict"),
            await Post(gateway, Body(new { jobId = handleA, orderId = "handles-1", timeout = 2 })));
        foreach (var handle in refused)
            Assert.Equal((HttpStatusCode.Unauthorized, "invalid_handle"), await Post(gateway, Body(new { jobId = handle })));

        var handleB = handles.Handle("handles-1", "batchJobB");
        Assert.Equal((HttpStatusCode.OK, (string?)null), await Post(gateway, Body(new { jobId = handleB, succeeded = false, error = "disk full" })));
        Assert.Equal((HttpStatusCode.OK, (string?)null), await Post(gateway, Body(new { jobId = handles.Handle("handles-1", "batchJobC") })));

        var final = (await services.Recorder.WaitFor(all => all.Any(i => i.Service == "it.final" && i.Cid == "handles-1")))
            .Single(i => i.Service == "it.final" && i.Cid == "handles-1");
        var data = final.Request.GetProperty("data");
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(partnerBody).RootElement, data.GetProperty("batchJobA").GetProperty("response")));
        Assert.True(data.GetProperty("batchJobA").GetProperty("ok").GetBoolean());
        Assert.False(data.GetProperty("batchJobB").GetProperty("ok").GetBoolean());
        Assert.Contains("succeeded", data.GetProperty("batchJobB").GetProperty("exception").GetString());
        Assert.Equal("disk full", data.GetProperty("batchJobB").GetProperty("response").GetProperty("error").GetString());
        // After the run ended, a repeat is still 200 and a different result 409; the other run is untouched.
        Assert.Equal((HttpStatusCode.OK, (string?)null), await Post(gateway, partnerBody));
        Assert.Equal((HttpStatusCode.Conflict, "result_conflict"), await Post(gateway, Body(new { jobId = handleA })));
        var other = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/fanouts/handles-2")).RootElement;
        Assert.Equal("running", other.GetProperty("state").GetString());
        Assert.Equal(CancelOutcome.AlreadyFinished, (await services.SagaSentinel("handles-1")).Outcome);
        Assert.Single(services.Recorder.Of("it.final", "handles-1"));
    }
}
