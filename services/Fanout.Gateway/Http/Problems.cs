namespace Fanout.Gateway.Http;

/// <summary>application/problem+json answers with a message a person can act on.</summary>
internal static class Problems
{
    public static IResult Of(int status, string title, string detail, IReadOnlyList<string>? errors = null) =>
        TypedResults.Problem(
            title: title,
            detail: detail,
            statusCode: status,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult BadRequest(string detail, IReadOnlyList<string>? errors = null) =>
        Of(StatusCodes.Status400BadRequest, "The request is invalid", detail, errors);

    public static IResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail) => Of(StatusCodes.Status409Conflict, "Conflict", detail);

    public static IResult Unavailable(string detail) => Of(StatusCodes.Status503ServiceUnavailable, "The orchestrator did not answer", detail);
}
