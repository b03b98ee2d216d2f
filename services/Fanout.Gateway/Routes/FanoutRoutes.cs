using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Gateway.Broker;
using Fanout.Gateway.Http;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Routes;

/// <summary>Fan-outs and parallel executions over HTTP: submit, read, list, post an external result, cancel.</summary>
internal static class FanoutRoutes
{
    const int DefaultLimit = 50;

    public static IEndpointRouteBuilder MapFanoutRoutes(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter<UnansweredRequestFilter>();
        var secured = v1.MapGroup("").AddEndpointFilter<ApiKeyFilter>();
        secured.MapPost("/fanouts", SubmitFanout)
            .WithSummary("Start a fan-out; 202 with its CID and a Location to poll")
            .WhenUnanswered(RunSubmission.Unanswered);
        secured.MapPost("/parallel", SubmitParallel).WithSummary("Start a parallel execution; 202 with its CID")
            .WhenUnanswered(RunSubmission.Unanswered);
        secured.MapGet("/fanouts/{cid}", RunStatusRoute.Get)
            .WithSummary("One run: state, deadline, per-target status and payloads")
            .WithDescription(RunStatusRoute.Description)
            .WhenUnanswered("The orchestrator did not answer the status query in time.");
        secured.MapGet("/fanouts", RunListRoute.List)
            .WithSummary("Runs, newest first; ?state=&mode=&service=&cid_prefix=&key=&limit=&before=&counts=true")
            .WithDescription(RunListRoute.Description)
            .WhenUnanswered("The orchestrator did not answer the list query in time.");
        secured.MapGet("/overview", RunListRoute.Overview)
            .WithSummary("Runs started/finished, targets and failures per minute, duration p50/p95; ?minutes=60")
            .WhenUnanswered("The orchestrator did not answer the overview query in time.");
        secured.MapDelete("/fanouts/{cid}", Cancel)
            .WithSummary("Cancel: unfinished targets are recorded as cancelled, the fan-in runs once")
            .WhenUnanswered("The orchestrator did not answer the cancel request in time.");
        secured.MapGet("/services", Services)
            .WithSummary("Services that live processes host: instances with host, process id, version, concurrency")
            .WhenUnanswered("The orchestrator did not answer the services query in time.");
        secured.MapGet("/queues", Queues)
            .WithSummary("The broker's durable queues (consumers, ready, unacknowledged) from RabbitMQ's management " +
                         "API; reachable=false with the reason when it cannot be asked");
        // Results are authorised by the target's completion token or handle, not the API key: external systems get
        // only that.
        v1.MapResultRoutes();
        return app;
    }

    internal static Task<Results<Accepted<AcceptedRun>, ProblemHttpResult>> SubmitFanout(
        HttpRequest request, JsonBody json, RunSubmitter submitter, TimeProvider time) =>
        RunSubmission.Submit(RunRequestShape.Fanout, request, json, submitter, time);

    internal static Task<Results<Accepted<AcceptedRun>, ProblemHttpResult>> SubmitParallel(
        HttpRequest request, JsonBody json, RunSubmitter submitter, TimeProvider time) =>
        RunSubmission.Submit(RunRequestShape.Parallel, request, json, submitter, time);

    static async Task<Ok<ServiceList>> Services(OrchestratorClient orchestrator, CancellationToken cancellationToken) =>
        TypedResults.Ok((await orchestrator.Services(cancellationToken)).Message);

    static async Task<Ok<QueueReport>> Queues(BrokerQueues queues, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queues.ReadAsync(cancellationToken));

    static async Task<Results<Ok<CancelOutcome>, ProblemHttpResult>> Cancel(string cid, OrchestratorClient orchestrator,
        CancellationToken cancellationToken)
    {
        var outcome = (await orchestrator.Cancel(
            new CancelFanout { Cid = cid, Reason = "cancelled through the gateway" }, cancellationToken)).Message;
        return outcome.Outcome switch
        {
            CancelOutcome.Cancelled => TypedResults.Ok(outcome),
            CancelOutcome.NotFound => Problems.NotFound($"No run with CID '{cid}'."),
            _ => Problems.Conflict(ErrorCodes.RunEnded,
                $"Run '{cid}' already ended ({outcome.State}); nothing to cancel."),
        };
    }
}
