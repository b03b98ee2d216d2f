using System.Security.Cryptography;
using System.Text;

namespace Fanout.Gateway.Http;

/// <summary>
/// When an API key is configured, requests without it in X-Api-Key, or without the session cookie that
/// <c>POST /v1/session</c> sets (a browser cannot put a header on an EventSource), are answered 401.
/// </summary>
internal sealed class ApiKeyFilter(GatewaySettings settings) : IEndpointFilter
{
    public const string Cookie = "fanout_key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (settings.ApiKey is not { Length: > 0 } expected || Accepts(context.HttpContext.Request, expected))
            return await next(context);
        return Problems.Of(StatusCodes.Status401Unauthorized, "API key required", ErrorCodes.ApiKeyRequired,
            $"Send the gateway's API key in the {GatewaySettings.ApiKeyHeader} header (or sign in: POST /v1/session).");
    }

    static bool Accepts(HttpRequest request, string key) =>
        Same(request.Headers[GatewaySettings.ApiKeyHeader].ToString(), key)
        || request.Cookies[Cookie] is { Length: > 0 } cookie && Same(cookie, SessionValue(key));

    static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>The cookie's value: derived from the key, so the cookie never holds the key itself.</summary>
    public static string SessionValue(string key) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "fanout-session"u8));

    public static bool IsKey(string? given, string key) => given is not null && Same(given, key);
}
