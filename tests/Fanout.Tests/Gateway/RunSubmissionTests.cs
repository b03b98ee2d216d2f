using Fanout.Contracts;
using Fanout.Gateway.Http;
using Fanout.Gateway.Routes;
using Fanout.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using static Fanout.Tests.Gateway.GatewayRequests;

namespace Fanout.Tests.Gateway;

/// <summary><c>POST /v1/fanouts</c> and <c>/v1/parallel</c> handlers: body to InvokeFanout, and every answer but 503.</summary>
public class RunSubmissionTests
{
    // Invalid bodies are answered before anything is sent, so these need no bus.
    static readonly RunSubmitter NoOrchestrator = new(null!, Settings);

    [Theory]
    [InlineData("/v1/fanouts", """{"targets":{"a":1},"on_final":["cb"],"deadline":5000}""", "unknown field 'deadline' (did you mean 'deadline_ms'?)")]
    [InlineData("/v1/fanouts", """{"targets":{"a":1},"on_final":["cb"],"calls":{"a":{}}}""", "'calls' must be an array of calls")]
    [InlineData("/v1/parallel", """{"targets":{"a":1},"callbacks":["cb"],"on_final":["fin"]}""", "field 'on_final' does not belong in a parallel request")]
    [InlineData("/v1/parallel", """{"targets":{"a":1}}""", "a parallel execution needs at least one callback")]
    [InlineData("/v1/fanouts", """{"targets":{"bad name":1},"on_final":["cb"]}""", "target: service name 'bad name' is invalid")]
    [InlineData("/v1/fanouts", """{"targets":{"a":""", "The body is not valid JSON at line 1")]
    public async Task A_bad_body_is_a_400_naming_every_problem(string path, string body, string problem)
    {
        var result = await Submit(path, body, NoOrchestrator);

        var refused = Problem(result);
        Assert.Equal(StatusCodes.Status400BadRequest, refused.StatusCode);
        Assert.StartsWith(problem, refused.ProblemDetails.Detail);
    }

    [Fact]
    public async Task The_problem_document_lists_each_problem()
    {
        var result = await Submit("/v1/fanouts", """{"targets":{"a":1},"deadline":1,"items":[]}""", NoOrchestrator);

        var errors = Errors(Problem(result));
        Assert.Equal(3, errors.Count);
        Assert.Contains(new ApiError("missing_field", "on_final", "a fan-out needs at least one final callback"), errors);
        Assert.Contains(errors, e => e is { Code: "unknown_field", Field: "deadline" } && e.Message.StartsWith("unknown field 'deadline'"));
        Assert.Contains(errors, e => e is { Code: "unknown_field", Field: "items" } && e.Message.StartsWith("unknown field 'items'"));
    }

    [Fact]
    public async Task An_accepted_run_is_a_202_and_a_taken_cid_a_409()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        using var orchestrator = new RunSubmitter(bus.Harness.Bus, new Fanout.Gateway.GatewaySettings { OrchestratorTimeout = TimeSpan.FromSeconds(15) });
        await orchestrator.StartAsync(CancellationToken.None);

        var first = await Submit("/v1/parallel", """{"cid":"gw-1","targets":{"t.ok":{"n":1}},"callbacks":["cb.target1"]}""", orchestrator);
        var accepted = Assert.IsType<Accepted<AcceptedRun>>(first);
        Assert.Equal(new AcceptedRun("gw-1", InvocationMode.Parallel, 1, "/v1/fanouts/gw-1"),
            accepted.Value! with { Warnings = null });
        // Services hosted under the test harness do not announce themselves: the directory knows none of them.
        Assert.Equal(["no live host serves 't.ok'", "no live host serves 'cb.target1'"], accepted.Value!.Warnings!);
        Assert.Equal("/v1/fanouts/gw-1", accepted.Location);

        var again = await Submit("/v1/fanouts", """{"cid":"gw-1","targets":{"t.ok":2},"on_final":["cb.final1"]}""", orchestrator);
        var conflict = Problem(again);
        Assert.Equal(StatusCodes.Status409Conflict, conflict.StatusCode);
        Assert.Contains("gw-1", conflict.ProblemDetails.Detail);
        Assert.Equal("duplicate_cid", Assert.Single(Errors(conflict)).Code);
    }

    [Theory]
    [InlineData(FanoutRejected.CidInUse, StatusCodes.Status409Conflict)]
    [InlineData(FanoutRejected.InvalidRequest, StatusCodes.Status400BadRequest)]
    [InlineData(FanoutRejected.UnknownService, StatusCodes.Status400BadRequest)]
    public void The_status_of_a_refusal_follows_its_code_not_its_wording(string code, int status) =>
        // The same words both times: only the code may decide.
        Assert.Equal(status, RunSubmission.Refused(new FanoutRejected { Cid = "c", Code = code, Reason = "CID 'c' is already in use" }).StatusCode);

    static async Task<IResult> Submit(string path, string body, RunSubmitter orchestrator) =>
        (path == "/v1/parallel"
            ? await FanoutRoutes.SubmitParallel(Post(body), Json, orchestrator, TimeProvider.System)
            : await FanoutRoutes.SubmitFanout(Post(body), Json, orchestrator, TimeProvider.System)).Result;
}
