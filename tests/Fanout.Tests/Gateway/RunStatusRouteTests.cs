using System.Diagnostics;
using Fanout.Bus.Waiting;
using Fanout.Contracts;
using Fanout.Gateway;
using Fanout.Gateway.Http;
using Fanout.Gateway.Routes;
using Fanout.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using static Fanout.Tests.Gateway.GatewayRequests;

namespace Fanout.Tests.Gateway;

/// <summary><c>GET /v1/fanouts/{cid}</c> with <c>wait_ms</c> (long-poll) and target pages, and the body limit's 413.</summary>
public class RunStatusRouteTests
{
    static readonly GatewaySettings Gateway = new() { OrchestratorTimeout = TimeSpan.FromSeconds(15) };

    [Theory]
    [InlineData("120001", null, null, "wait_ms must be a whole number from 0 to 120000; got '120001'")]
    [InlineData("soon", null, null, "wait_ms must be a whole number from 0 to 120000; got 'soon'")]
    [InlineData(null, "-1", null, "targets_offset must be a whole number from 0")]
    [InlineData(null, null, "0", "targets_limit must be a whole number from 1")]
    public async Task Bad_query_values_are_a_400_naming_them(string? wait, string? offset, string? limit, string problem)
    {
        // Refused before the orchestrator is asked, so no bus is needed.
        var result = (await RunStatusRoute.Get("c", wait, offset, limit, null!, null!, Gateway, CancellationToken.None)).Result;

        var refused = Problem(result);
        Assert.Equal(StatusCodes.Status400BadRequest, refused.StatusCode);
        Assert.StartsWith(problem, refused.ProblemDetails.Detail);
    }

    [Fact]
    public async Task A_long_poll_answers_when_the_run_ends_not_when_the_wait_elapses()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.gated"] = null, ["t.ok"] = 1 }, ["cb.final1"]);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "t.gated" && i.Cid == cid));

        var watch = Stopwatch.StartNew();
        var polling = Get(bus, cid, wait: "30000");
        bus.Gate.Open();
        var status = Assert.IsType<Ok<FanoutStatus>>(await polling).Value!;

        Assert.Equal(FanoutStates.Completed, status.State);
        Assert.Equal(["t.gated", "t.ok"], status.Targets.Keys);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task A_long_poll_on_a_running_run_answers_its_state_when_the_wait_elapses()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.gated"] = null }, ["cb.final1"]);

        var status = Assert.IsType<Ok<FanoutStatus>>(await Get(bus, cid, wait: "300")).Value!;

        Assert.Equal(FanoutStates.Running, status.State);
        bus.Gate.Open();
    }

    [Fact]
    public async Task Waiting_on_an_unknown_run_is_a_404() =>
        Assert.Equal(StatusCodes.Status404NotFound, Problem(await WithBus(bus => Get(bus, "no-such-run", wait: "5000"))).StatusCode);

    [Fact]
    public async Task A_body_over_the_limit_names_the_setting_that_raises_it()
    {
        var json = new JsonBody(new GatewaySettings { MaxRequestBodyBytes = 10 });

        var (_, error) = await json.ReadAsync<System.Text.Json.JsonDocument>(Post("""{"targets":{"a":1}}"""));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, error!.StatusCode);
        Assert.Equal("The limit is 10 bytes; this body has 19. The gateway's Fanout:Gateway:MaxRequestBodyBytes setting raises it.",
            error.ProblemDetails.Detail);
    }

    static async Task<IResult> WithBus(Func<EmbeddedBus, Task<IResult>> call)
    {
        await using var bus = await EmbeddedBus.StartAsync();
        return await call(bus);
    }

    static async Task<IResult> Get(EmbeddedBus bus, string cid, string? wait = null) =>
        (await RunStatusRoute.Get(cid, wait, null, null, new OrchestratorClient(bus.Harness.Bus, Gateway),
            bus.Services.GetRequiredService<RunWaiter>(), Gateway, CancellationToken.None)).Result;
}
