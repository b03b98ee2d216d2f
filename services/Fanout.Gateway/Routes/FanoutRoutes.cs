using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Gateway.Http;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Routes;

/// <summary>Fan-outs and parallel executions over HTTP: submit, read, list, post an external result, cancel.</summary>
internal static class FanoutRoutes
{
    public static IEndpointRouteBuilder MapFanoutRoutes(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter<UnansweredRequestFilter>();
        var secured = v1.MapGroup("").AddEndpointFilter<ApiKeyFilter>();
        secured.MapPost("/fanouts", SubmitFanout).WithSummary("Start a fan-out; 202 with its CID and a Location to poll")
            .WhenUnanswered(RunSubmission.Unanswered);
        secured.MapPost("/parallel", SubmitParallel).WithSummary("Start a parallel execution; 202 with its CID")
            .WhenUnanswered(RunSubmission.Unanswered);
        secured.MapGet("/fanouts/{cid}", RunStatusRoute.Get).WithSummary("One run: state, deadline, per-target status and payloads")
            .WithDescription(RunStatusRoute.Description)
            .WhenUnanswered("The orchestrator did not answer the status query in time.");
        secured.MapGet("/fanouts", RunListRoute.List)
            .WithSummary("Runs, newest first; ?state=&mode=&service=&cid_prefix=&key=&limit=&before=&counts=true")
            .WithDescription(RunListRoute.Description)
            .WhenUnanswered("The orchestrator did not answer the list query in time.");
        secured.MapGet("/overview", RunListRoute.Overview)
            .WithSummary("Runs started/finished, targets and failures per minute, duration p50/p95; ?minutes=60")
            .WhenUnanswered("The orchestrator did not answer the overview query in time.");
        secured.MapDelete("/fanouts/{cid}", Cancel).WithSummary("Cancel: unfinished targets are recorded as cancelled, the fan-in runs once")
            .WhenUnanswered("The orchestrator did not answer the cancel request in time.");
        // Authorised by the per-target completion token, not the API key: external systems get only that.
        v1.MapPost("/fanouts/{cid}/targets/{target}/result", PostResult)
            .WithSummary("An external result for one target; needs its completion token (X-Completion-Token)")
            .WhenUnanswered("The orchestrator did not acknowledge the result in time; post it again (repeats are safe).");
        return app;
    }

    internal static Task<Results<Accepted<AcceptedRun>, ProblemHttpResult>> SubmitFanout(HttpRequest request, JsonBody json,
        OrchestratorClient orchestrator, TimeProvider time) =>
        RunSubmission.Submit(RunRequestShape.Fanout, request, json, orchestrator, time);

    internal static Task<Results<Accepted<AcceptedRun>, ProblemHttpResult>> SubmitParallel(HttpRequest request, JsonBody json,
        OrchestratorClient orchestrator, TimeProvider time) =>
        RunSubmission.Submit(RunRequestShape.Parallel, request, json, orchestrator, time);

    static async Task<Results<Ok<TargetResultOutcome>, ProblemHttpResult>> PostResult(string cid, string target, HttpRequest request,
        JsonBody json, OrchestratorClient orchestrator)
    {
        var (body, error) = await json.ReadAsync<ResultBody>(request);
        if (error is not null)
            return error;
        var token = request.Headers[GatewaySettings.TokenHeader].ToString() is { Length: > 0 } header ? header : body!.CompletionToken;
        if (string.IsNullOrEmpty(token))
            return Problems.Of(StatusCodes.Status401Unauthorized, "Completion token required",
                $"Send the target's completion token in the {GatewaySettings.TokenHeader} header.");
        if (body!.Ok is null)
            return Problems.BadRequest("'ok' (true or false) is required.");
        var outcome = (await orchestrator.Submit(new SubmitTargetResult
        {
            Cid = cid, Target = target, CompletionToken = token, Ok = body.Ok.Value,
            Response = body.Response, Exception = body.Exception,
        }, request.HttpContext.RequestAborted)).Message;
        return outcome.Outcome switch
        {
            TargetResultOutcome.Recorded or TargetResultOutcome.AlreadyRecorded => TypedResults.Ok(outcome),
            TargetResultOutcome.NotFound => Problems.NotFound(outcome.Detail),
            TargetResultOutcome.Forbidden => Problems.Of(StatusCodes.Status403Forbidden, "Invalid completion token", outcome.Detail),
            _ => Problems.Conflict(outcome.Detail),
        };
    }

    static async Task<Results<Ok<CancelOutcome>, ProblemHttpResult>> Cancel(string cid, OrchestratorClient orchestrator,
        CancellationToken cancellationToken)
    {
        var outcome = (await orchestrator.Cancel(new CancelFanout { Cid = cid, Reason = "cancelled through the gateway" }, cancellationToken)).Message;
        return outcome.Outcome switch
        {
            CancelOutcome.Cancelled => TypedResults.Ok(outcome),
            CancelOutcome.NotFound => Problems.NotFound($"No run with CID '{cid}'."),
            _ => Problems.Conflict($"Run '{cid}' already ended ({outcome.State}); nothing to cancel."),
        };
    }
}
