using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Http;

/// <summary>application/problem+json answers with a message a person can act on.</summary>
internal static class Problems
{
    public static ProblemHttpResult Of(int status, string title, string detail, IReadOnlyList<string>? errors = null,
        string? code = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (errors is not null)
            extensions["errors"] = errors;
        // A machine-readable reason beside the words, e.g. unknown_service.
        if (code is not null)
            extensions["code"] = code;
        return TypedResults.Problem(title: title, detail: detail, statusCode: status,
            extensions: extensions.Count == 0 ? null : extensions);
    }

    public static ProblemHttpResult BadRequest(string detail, IReadOnlyList<string>? errors = null,
        string? code = null) =>
        Of(StatusCodes.Status400BadRequest, "The request is invalid", detail, errors, code);

    public static ProblemHttpResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string detail) => Of(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemHttpResult Unavailable(string detail) => Of(StatusCodes.Status503ServiceUnavailable, "The orchestrator did not answer", detail);
}
