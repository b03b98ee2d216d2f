using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.Contracts;
using Fanout.IntegrationTests.Support;
using Fanout.Orchestrator;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Fanout.IntegrationTests;

/// <summary>Results back to the caller on RabbitMQ: the gateway's long-poll and InvokeAndWaitAsync.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ResultsBackTests(RabbitMqBroker broker, ITestOutputHelper output) : VirtualHostTest(broker)
{
    sealed record Echoed(JsonElement Echo, string Cid);

    Task<BusHost> StartOrchestrator() =>
        BusHost.StartAsync(Url, Directory.File("fanout.db"), (bus, configuration) => bus.AddOrchestrator(configuration));

    Task<BusHost> StartServices() => BusHost.StartAsync(Url, null, (bus, _) =>
        bus.AddService<OkTarget>().AddService<ThrowingTarget>().AddService<GatedTarget>().AddService<RecordingCallback>("it.final"));

    [Fact]
    public async Task A_long_poll_returns_when_the_run_completes_not_after_the_whole_wait()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());
        var accepted = await gateway.Http.PostAsync("/v1/fanouts", new StringContent(
            """{"cid":"long-poll-1","targets":{"t.gated":null,"t.ok":{"n":1}},"on_final":["it.final"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await services.Recorder.WaitFor(all => all.Any(i => i.Service == "t.gated" && i.Cid == "long-poll-1"), TimeSpan.FromSeconds(30));

        var watch = Stopwatch.StartNew();
        var polling = gateway.Http.GetStringAsync("/v1/fanouts/long-poll-1?wait_ms=30000");
        services.Services.GetRequiredService<Gate>().Open();
        var status = JsonDocument.Parse(await polling).RootElement;
        watch.Stop();

        output.WriteLine($"long-poll answered {watch.ElapsedMilliseconds} ms after the gate opened (wait_ms=30000)");
        Assert.Equal("completed", status.GetProperty("state").GetString());
        Assert.Equal(["t.gated", "t.ok"], status.GetProperty("targets").EnumerateObject().Select(t => t.Name));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the long-poll answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task InvokeAndWait_returns_the_final_result_of_a_plain_targets_run()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices();

        var result = await services.Patterns.Fanout.InvokeAndWaitAsync(
            new Dictionary<string, object?> { ["t.ok"] = new { n = 1 }, ["t.boom"] = null }, ["it.final"],
            cid: "wait-it-1", timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(FanoutStates.Completed, result.State);
        var typed = result.As<Echoed>();
        Assert.Equal((true, 1, "wait-it-1"), (typed.Results["t.ok"].Ok, typed.Results["t.ok"].Value!.Echo.GetProperty("n").GetInt32(), typed.Results["t.ok"].Value!.Cid));
        Assert.False(typed.Results["t.boom"].Ok);
        Assert.Contains("boom from t.boom", typed.Results["t.boom"].Exception);
    }

    [Fact]
    public async Task A_hash_in_a_key_arrives_decoded_in_the_result_route()
    {
        await using var orchestrator = await StartOrchestrator();
        await using var services = await StartServices();
        await using var gateway = await GatewayHost.StartAsync(Url, GatewayHost.FreeUrl());
        await services.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.gated"] = null }, ["it.final"], cid: "hash-key-1");

        var post = new HttpRequestMessage(HttpMethod.Post, "/v1/fanouts/hash-key-1/targets/resize%230/result")
        {
            Content = new StringContent("""{"ok":true}""", Encoding.UTF8, "application/json"),
        };
        post.Headers.Add("X-Completion-Token", "not-the-token");
        var response = await gateway.Http.SendAsync(post);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("target 'resize#0'", await response.Content.ReadAsStringAsync());
        services.Services.GetRequiredService<Gate>().Open();
    }
}
