using System.Text.Json;
using Fanout.Bus.Naming;
using Fanout.Contracts;
using Fanout.Gateway.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Routes;

/// <summary>
/// Results posted by external systems, in two shapes: to the target's own URL with its completion token and a body
/// with <c>ok</c>, or — for a partner that knows only the job id it was given — the partner's own body to
/// <c>/v1/results</c>, with the target's completion handle in a configured field. Both are judged by the orchestrator
/// alike: a repeat of the recorded result is 200, a different one 409.
/// </summary>
internal static class ResultRoutes
{
    const string Unanswered =
        "The orchestrator did not acknowledge the result in time; post it again (repeats are safe).";

    public static void MapResultRoutes(this RouteGroupBuilder v1)
    {
        v1.MapPost("/fanouts/{cid}/targets/{target}/result", PostTargetResult)
            .WithSummary("An external result for one target; needs its completion token (X-Completion-Token)")
            .WhenUnanswered(Unanswered);
        v1.MapPost("/results", PostHandledResult)
            .WithSummary("A partner's result body; the configured field (Fanout:Gateway:ResultHandleField, job_id by " +
                "default) holds the target's completion handle, and the whole body becomes the target's response")
            .WhenUnanswered(Unanswered);
    }

    static async Task<Results<Ok<TargetResultOutcome>, ProblemHttpResult>> PostTargetResult(string cid, string target,
        HttpRequest request, JsonBody json, OrchestratorClient orchestrator)
    {
        var (body, error) = await json.ReadAsync<ResultBody>(request);
        if (error is not null)
            return error;
        var header = request.Headers[GatewaySettings.TokenHeader].ToString();
        var token = header.Length > 0 ? header : body!.CompletionToken;
        if (string.IsNullOrEmpty(token))
            return Problems.Of(StatusCodes.Status401Unauthorized, "Completion token required",
                ErrorCodes.CompletionTokenRequired,
                $"Send the target's completion token in the {GatewaySettings.TokenHeader} header.");
        if (body!.Ok is null)
            return Problems.BadRequest(ErrorCodes.OkRequired, "'ok' (true or false) is required.", "ok");
        var outcome = (await orchestrator.Submit(new SubmitTargetResult
        {
            Cid = cid, Target = target, CompletionToken = token, Ok = body.Ok.Value,
            Response = body.Response, Exception = body.Exception,
        }, request.HttpContext.RequestAborted)).Message;
        return outcome.Outcome switch
        {
            TargetResultOutcome.NotFound => Problems.NotFound(outcome.Detail),
            TargetResultOutcome.Forbidden => Problems.Of(StatusCodes.Status403Forbidden, "Invalid completion token",
                ErrorCodes.InvalidCompletionToken, outcome.Detail),
            _ => Answer(outcome),
        };
    }

    static async Task<Results<Ok<TargetResultOutcome>, ProblemHttpResult>> PostHandledResult(HttpRequest request,
        JsonBody json, OrchestratorClient orchestrator, GatewaySettings settings)
    {
        var (document, error) = await json.ReadAsync<JsonDocument>(request);
        if (error is not null)
            return error;
        using var owned = document!;
        var body = owned.RootElement;
        var field = settings.ResultHandleField;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(field, out var handleValue)
            || handleValue.ValueKind != JsonValueKind.String)
            return Problems.BadRequest(ErrorCodes.HandleRequired,
                $"The body must be a JSON object whose '{field}' holds the completion handle the target handed out " +
                $"(the gateway's {GatewaySettings.ResultHandleFieldKey} setting names this field).", field);
        if (!CompletionHandles.TryRead(handleValue.GetString(), out var cid, out var target, out var token))
            return InvalidHandle(field, "it is not a completion handle");
        var (ok, okProblem) = ReadOk(body, settings.ResultOkField);
        if (okProblem is not null)
            return okProblem;

        var outcome = (await orchestrator.Submit(new SubmitTargetResult
        {
            Cid = cid, Target = target, CompletionToken = token, Ok = ok, Response = body.Clone(),
            Exception = ok ? null : $"the partner reported '{settings.ResultOkField}': false",
        }, request.HttpContext.RequestAborted)).Message;
        // A handle of no run, or whose signature does not match, says nothing about which of the two it is.
        return outcome.Outcome is TargetResultOutcome.NotFound or TargetResultOutcome.Forbidden
            ? InvalidHandle(field, "it was not issued for a running target")
            : Answer(outcome);
    }

    /// <summary><c>ok</c> from the configured boolean field; true when none is set or the body leaves it out.</summary>
    static (bool Ok, ProblemHttpResult? Problem) ReadOk(JsonElement body, string? field)
    {
        if (string.IsNullOrEmpty(field) || !body.TryGetProperty(field, out var value))
            return (true, null);
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? (value.GetBoolean(), null)
            : (false, Problems.BadRequest(ErrorCodes.OkRequired, $"'{field}' must be true or false.", field));
    }

    static ProblemHttpResult InvalidHandle(string field, string why) =>
        Problems.Of(StatusCodes.Status401Unauthorized, "Invalid completion handle", ErrorCodes.InvalidHandle,
            $"'{field}' does not hold a valid completion handle: {why}.", field);

    /// <summary>Recorded and repeats 200; a different result or one after the run ended 409.</summary>
    static Results<Ok<TargetResultOutcome>, ProblemHttpResult> Answer(TargetResultOutcome outcome) =>
        outcome.Outcome switch
        {
            TargetResultOutcome.Recorded or TargetResultOutcome.AlreadyRecorded => TypedResults.Ok(outcome),
            TargetResultOutcome.Late => Problems.Conflict(ErrorCodes.ResultLate, outcome.Detail),
            _ => Problems.Conflict(ErrorCodes.ResultConflict, outcome.Detail),
        };
}
