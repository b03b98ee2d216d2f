using System.Net;

namespace Fanout.Gateway.Http;

/// <summary>
/// Protected by default: a gateway without an API key answers loopback clients only (403 to others), unless
/// <c>Fanout:Gateway:AllowRemoteWithoutKey</c> says to serve everyone. Health checks and result posts (authorised by
/// their completion token) stay open, as they are with a key.
/// </summary>
public static class LoopbackOnlyWithoutKey
{
    public static void UseLoopbackOnlyWithoutKey(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<GatewaySettings>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LoopbackOnlyWithoutKey));
        if (settings.ApiKey is { Length: > 0 })
            return;
        if (settings.AllowRemoteWithoutKey)
        {
            logger.LogWarning("No API key: serving every client, also remote ones ({Setting}=true)",
                GatewaySettings.AllowRemoteWithoutKeyKey);
            return;
        }

        logger.LogWarning("No API key: answering loopback clients only; set {Variable} to serve others "
            + "(or {Setting}=true to serve them without a key)", GatewaySettings.ApiKeyVariable,
            GatewaySettings.AllowRemoteWithoutKeyKey);
        app.Use(async (context, next) =>
        {
            if (Allowed(context))
            {
                await next(context);
                return;
            }

            await Refusal.ExecuteAsync(context);
        });
    }

    static readonly IResult Refusal = Problems.Of(
        StatusCodes.Status403Forbidden, "Loopback clients only", ErrorCodes.RemoteNeedsKey,
        "This gateway has no API key, so it answers clients on this machine only. "
        + $"Set {GatewaySettings.ApiKeyVariable} "
        + $"(and send it in {GatewaySettings.ApiKeyHeader}), or {GatewaySettings.AllowRemoteWithoutKeyKey}=true.");

    /// <summary>True for loopback clients (or none: an in-process server), health checks and result posts.</summary>
    public static bool Allowed(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || IPAddress.IsLoopback(remote))
            return true;
        var path = context.Request.Path;
        if (path.StartsWithSegments("/health"))
            return true;
        return HttpMethods.IsPost(context.Request.Method) && path.StartsWithSegments("/v1/fanouts")
            && path.Value!.EndsWith("/result", StringComparison.Ordinal);
    }
}
