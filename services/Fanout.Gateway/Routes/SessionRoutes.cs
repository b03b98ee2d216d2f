using System.Text.Json.Serialization;
using Fanout.Gateway.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Routes;

/// <summary>
/// <c>POST /v1/session</c> trades the API key for an HttpOnly cookie the API key filter accepts, for browsers (an
/// EventSource cannot send headers); <c>DELETE /v1/session</c> clears it.
/// </summary>
internal static class SessionRoutes
{
    public static IEndpointRouteBuilder MapSessionRoutes(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/session", SignIn)
            .WithSummary("Sign in with {\"api_key\"}: sets the HttpOnly cookie fanout_key (SameSite=Strict)");
        app.MapDelete("/v1/session", SignOut).WithSummary("Sign out: clears the fanout_key cookie");
        return app;
    }

    static async Task<Results<NoContent, ProblemHttpResult>> SignIn(HttpRequest request, JsonBody json,
        GatewaySettings settings)
    {
        if (settings.ApiKey is not { Length: > 0 } key)
            return TypedResults.NoContent(); // nothing to sign in to
        var (body, error) = await json.ReadAsync<SessionBody>(request);
        if (error is not null)
            return error;
        if (!ApiKeyFilter.IsKey(body!.ApiKey, key))
            return Problems.Of(StatusCodes.Status401Unauthorized, "Wrong API key", ErrorCodes.WrongApiKey,
                "The API key is not this gateway's.");
        request.HttpContext.Response.Cookies.Append(ApiKeyFilter.Cookie, ApiKeyFilter.SessionValue(key),
            Options(request));
        return TypedResults.NoContent();
    }

    static NoContent SignOut(HttpContext context)
    {
        context.Response.Cookies.Delete(ApiKeyFilter.Cookie, Options(context.Request));
        return TypedResults.NoContent();
    }

    static CookieOptions Options(HttpRequest request) => new()
    {
        HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", Secure = request.IsHttps, IsEssential = true,
    };

    sealed record SessionBody
    {
        [JsonPropertyName("api_key")] public string? ApiKey { get; init; }
    }
}
