using System.Text.Json.Serialization;
using Fanout.Bus.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Http;

/// <summary>
/// application/problem+json answers with a message a person can act on and, in <c>errors</c>, one
/// <see cref="ApiError"/> per problem with a code a program can act on (<see cref="ErrorCodes"/>).
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult Of(int status, string title, string code, string detail, string? field = null) =>
        Of(status, title, detail, [new ApiError(code, field, detail)]);

    public static ProblemHttpResult Of(int status, string title, string detail, IReadOnlyList<ApiError> errors) =>
        TypedResults.Problem(
            title: title,
            detail: detail,
            statusCode: status,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult BadRequest(string code, string detail, string? field = null) =>
        Of(StatusCodes.Status400BadRequest, "The request is invalid", code, detail, field);

    /// <summary>Every problem of a run request; the detail joins their messages.</summary>
    public static ProblemHttpResult BadRequest(IReadOnlyList<RequestProblem> problems) =>
        Of(StatusCodes.Status400BadRequest, "The request is invalid",
            string.Join("; ", problems.Select(p => p.Message)),
            problems.Select(p => new ApiError(p.Code, p.Field, p.Message)).ToList());

    public static ProblemHttpResult NotFound(string detail) =>
        Of(StatusCodes.Status404NotFound, "Not found", ErrorCodes.NotFound, detail);

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Of(StatusCodes.Status409Conflict, "Conflict", code, detail);

    public static ProblemHttpResult Unavailable(string detail) =>
        Of(StatusCodes.Status503ServiceUnavailable, "The orchestrator did not answer", ErrorCodes.NotAnswered, detail);
}

/// <summary>One problem of an HTTP error: what a client matches on is <see cref="Code"/>, never the message.</summary>
internal sealed record ApiError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("message")] string Message);
