using System.Text.Json;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Gateway.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Routes;

/// <summary>
/// <c>POST /v1/fanouts</c> and <c>POST /v1/parallel</c>: the body is read and checked by <see cref="RunRequests"/>,
/// the run goes to the orchestrator with those of concurrent requests (<see cref="RunSubmitter"/>); this class only
/// turns the outcome into HTTP (202, 400, 409).
/// </summary>
internal static class RunSubmission
{
    public const string Source = "gateway";

    /// <summary>
    /// Where the CID of the run being submitted is kept, so a 503 can tell the caller which CID to resend.
    /// </summary>
    const string CidItem = "fanout.submitted_cid";

    public static async Task<Results<Accepted<AcceptedRun>, ProblemHttpResult>> Submit(
        RunRequestShape shape, HttpRequest request, JsonBody json, RunSubmitter submitter, TimeProvider time)
    {
        var (body, error) = await json.ReadAsync<JsonDocument>(request);
        if (error is not null)
            return error;
        using var document = body!;
        var parsed = RunRequests.FromJson(document.RootElement, shape, Source, time);
        if (!parsed.IsValid)
            return Problems.BadRequest(parsed.Errors);

        var cid = parsed.Request.Cid!;
        var requireLive = request.HttpContext.RequestServices?.GetService<GatewaySettings>()?.RequireLiveServices;
        var run = requireLive == true && parsed.Request.RequireLiveServices is null
            ? parsed.Request with { RequireLiveServices = true }
            : parsed.Request;
        request.HttpContext.Items[CidItem] = cid;
        var answer = await submitter.SubmitRunAsync(run, request.ContentLength, request.HttpContext.RequestAborted);
        if (answer.Rejected is { } rejected)
            return Refused(rejected);
        var message = answer.Accepted!;
        var location = $"/v1/fanouts/{Uri.EscapeDataString(message.Cid)}";
        return TypedResults.Accepted(location,
            new AcceptedRun(message.Cid, message.Mode, message.TargetCount, location, message.Warnings));
    }

    /// <summary>409 when the CID is taken (a resend of an accepted request ends here too), else 400.</summary>
    public static ProblemHttpResult Refused(FanoutRejected rejected) => rejected.Code == FanoutRejected.CidInUse
        ? Problems.Conflict(ErrorCodes.DuplicateCid, rejected.Reason)
        : Problems.BadRequest(rejected.Code, rejected.Reason);

    /// <summary>The 503 detail when no orchestrator answered: resending with the same CID is safe.</summary>
    public static string Unanswered(HttpContext context) =>
        $"No orchestrator accepted CID '{context.Items[CidItem]}' in time; resend with the same CID " +
        "(a 409 then means the first one was accepted).";
}
