using System.Security.Cryptography;
using System.Text;

namespace Fanout.Gateway.Http;

/// <summary>When an API key is configured, requests without it in X-Api-Key are answered 401.</summary>
internal sealed class ApiKeyFilter(GatewaySettings settings) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (settings.ApiKey is not { Length: > 0 } expected)
            return await next(context);
        var given = context.HttpContext.Request.Headers[GatewaySettings.ApiKeyHeader].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            return Problems.Of(StatusCodes.Status401Unauthorized, "API key required", ErrorCodes.ApiKeyRequired,
                $"Send the gateway's API key in the {GatewaySettings.ApiKeyHeader} header.");
        return await next(context);
    }
}
