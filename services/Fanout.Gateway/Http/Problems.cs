using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Http;

/// <summary>application/problem+json answers with a message a person can act on.</summary>
internal static class Problems
{
    public static ProblemHttpResult Of(int status, string title, string detail, IReadOnlyList<string>? errors = null) =>
        TypedResults.Problem(
            title: title,
            detail: detail,
            statusCode: status,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult BadRequest(string detail, IReadOnlyList<string>? errors = null) =>
        Of(StatusCodes.Status400BadRequest, "The request is invalid", detail, errors);

    public static ProblemHttpResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string detail) => Of(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemHttpResult Unavailable(string detail) => Of(StatusCodes.Status503ServiceUnavailable, "The orchestrator did not answer", detail);
}
