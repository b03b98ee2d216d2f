using Fanout.Bus.Naming;
using Fanout.Contracts;
using Fanout.Gateway.Http;
using MassTransit;

namespace Fanout.Gateway.Routes;

/// <summary>Fan-outs and parallel executions over HTTP: submit, read, list, post an external result, cancel.</summary>
internal static class FanoutRoutes
{
    public static IEndpointRouteBuilder MapFanoutRoutes(this IEndpointRouteBuilder app)
    {
        var secured = app.MapGroup("/v1").AddEndpointFilter<ApiKeyFilter>();
        secured.MapPost("/fanouts", SubmitFanout).WithSummary("Start a fan-out; 202 with its CID and a Location to poll");
        secured.MapPost("/parallel", SubmitParallel).WithSummary("Start a parallel execution; 202 with its CID");
        secured.MapGet("/fanouts/{cid}", GetStatus).WithSummary("One run: state, deadline, per-target status and payloads");
        secured.MapGet("/fanouts", List).WithSummary("Runs, newest first; ?state=running|completed|timed_out|cancelled&limit=&before=");
        secured.MapDelete("/fanouts/{cid}", Cancel).WithSummary("Cancel: unfinished targets are recorded as cancelled, the fan-in runs once");
        // Authorised by the per-target completion token, not the API key: external systems get only that.
        app.MapPost("/v1/fanouts/{cid}/targets/{target}/result", PostResult)
            .WithSummary("An external result for one target; needs its completion token (X-Completion-Token)");
        return app;
    }

    static async Task<IResult> SubmitFanout(HttpRequest request, JsonBody json, OrchestratorClient orchestrator)
    {
        var (body, error) = await json.ReadAsync<FanoutBody>(request);
        if (error is not null)
            return error;
        return await Submit(new InvokeFanout
        {
            Cid = body!.Cid ?? CorrelationIds.NewCid(), Mode = InvocationMode.Fanout, Source = body.Source ?? "gateway",
            Targets = body.Targets ?? [], OnFinal = body.OnFinal ?? [], OnTarget = body.OnTarget ?? [],
            DeadlineMs = body.DeadlineMs, MaxConcurrency = body.MaxConcurrency, RequestedAtUtc = DateTime.UtcNow,
        }, orchestrator, request.HttpContext.RequestAborted);
    }

    static async Task<IResult> SubmitParallel(HttpRequest request, JsonBody json, OrchestratorClient orchestrator)
    {
        var (body, error) = await json.ReadAsync<ParallelBody>(request);
        if (error is not null)
            return error;
        return await Submit(new InvokeFanout
        {
            Cid = body!.Cid ?? CorrelationIds.NewCid(), Mode = InvocationMode.Parallel, Source = body.Source ?? "gateway",
            Targets = body.Targets ?? [], OnTarget = body.Callbacks ?? [],
            DeadlineMs = body.DeadlineMs, MaxConcurrency = body.MaxConcurrency, RequestedAtUtc = DateTime.UtcNow,
        }, orchestrator, request.HttpContext.RequestAborted);
    }

    static async Task<IResult> Submit(InvokeFanout invoke, OrchestratorClient orchestrator, CancellationToken cancellationToken)
    {
        // Checked here as well as in the orchestrator, so a bad request never reaches the bus.
        var problems = FanoutRequestValidator.Problems(invoke);
        if (problems.Count > 0)
            return Problems.BadRequest(string.Join("; ", problems), problems);
        try
        {
            var response = await orchestrator.Invoke(invoke, cancellationToken);
            if (response.Is(out Response<FanoutRejected>? rejected))
                return rejected.Message.Reason.Contains("already in use")
                    ? Problems.Conflict(rejected.Message.Reason)
                    : Problems.BadRequest(rejected.Message.Reason, [rejected.Message.Reason]);
            response.Is(out Response<FanoutAccepted>? accepted);
            var location = $"/v1/fanouts/{Uri.EscapeDataString(accepted!.Message.Cid)}";
            return TypedResults.Accepted(location, new AcceptedRun(accepted.Message.Cid, accepted.Message.Mode, accepted.Message.TargetCount, location));
        }
        catch (RequestTimeoutException)
        {
            return Problems.Unavailable($"No orchestrator accepted CID '{invoke.Cid}' in time; resend with the same CID " +
                "(a 409 then means the first one was accepted).");
        }
    }

    static async Task<IResult> GetStatus(string cid, OrchestratorClient orchestrator, CancellationToken cancellationToken)
    {
        try
        {
            var response = await orchestrator.Status(cid, cancellationToken);
            return response.Is(out Response<FanoutStatus>? found)
                ? TypedResults.Ok(found.Message)
                : Problems.NotFound($"No run with CID '{cid}' (finished runs are kept for the retention period only).");
        }
        catch (RequestTimeoutException)
        {
            return Problems.Unavailable("The orchestrator did not answer the status query in time.");
        }
    }

    static async Task<IResult> List(string? state, int? limit, DateTime? before, OrchestratorClient orchestrator, CancellationToken cancellationToken)
    {
        if (state is not null && !FanoutStates.All.Contains(state))
            return Problems.BadRequest($"state '{state}' is unknown: use one of {string.Join(", ", FanoutStates.All)}");
        if (limit is < 1 or > 500)
            return Problems.BadRequest($"limit must be between 1 and 500; got {limit}");
        try
        {
            var response = await orchestrator.List(new ListFanouts { State = state, Limit = limit ?? 50, Before = before?.ToUniversalTime() }, cancellationToken);
            return TypedResults.Ok(response.Message);
        }
        catch (RequestTimeoutException)
        {
            return Problems.Unavailable("The orchestrator did not answer the list query in time.");
        }
    }

    static async Task<IResult> PostResult(string cid, string target, HttpRequest request, JsonBody json, OrchestratorClient orchestrator)
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
        try
        {
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
        catch (RequestTimeoutException)
        {
            return Problems.Unavailable("The orchestrator did not acknowledge the result in time; post it again (repeats are safe).");
        }
    }

    static async Task<IResult> Cancel(string cid, OrchestratorClient orchestrator, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = (await orchestrator.Cancel(new CancelFanout { Cid = cid, Reason = "cancelled through the gateway" }, cancellationToken)).Message;
            return outcome.Outcome switch
            {
                CancelOutcome.Cancelled => TypedResults.Ok(outcome),
                CancelOutcome.NotFound => Problems.NotFound($"No run with CID '{cid}'."),
                _ => Problems.Conflict($"Run '{cid}' already ended ({outcome.State}); nothing to cancel."),
            };
        }
        catch (RequestTimeoutException)
        {
            return Problems.Unavailable("The orchestrator did not answer the cancel request in time.");
        }
    }
}
