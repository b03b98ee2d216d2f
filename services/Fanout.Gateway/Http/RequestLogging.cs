using Fanout.Bus.Logging;
using Microsoft.AspNetCore.HttpLogging;

namespace Fanout.Gateway.Http;

/// <summary>
/// One log line per request (method, path, status, duration), with the cid/target/order_id of its route.
/// </summary>
public static class RequestLogging
{
    public static void AddRequestLogging(this IServiceCollection services, ILoggingBuilder logging)
    {
        services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });
        // ASP.NET's own lines ("Request starting", "Setting HTTP status code", ...) would make five lines per request.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.HttpLogging", LogLevel.Information);
    }

    /// <summary>
    /// After routing, so the route values are known; before the request log, so its line carries them.
    /// </summary>
    public static void UseRequestLogging(this WebApplication app)
    {
        app.UseRouting();
        app.Use(async (context, next) =>
        {
            var route = context.Request.RouteValues;
            var fields = LogFields.Of(("cid", route["cid"] as string), ("target", route["target"] as string),
                ("order_id", route["orderId"] as string));
            using var scope = fields.Count > 0 ? app.Logger.BeginScope(fields) : null;
            await next(context);
        });
        app.UseHttpLogging();
    }
}
