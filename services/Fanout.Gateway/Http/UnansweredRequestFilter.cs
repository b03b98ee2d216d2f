using MassTransit;

namespace Fanout.Gateway.Http;

/// <summary>
/// Turns a bus request nobody answered in time (no orchestrator or FIFO registry running, or one overloaded) into
/// a 503 problem, so routes do not each catch <see cref="RequestTimeoutException"/>. What the caller should do next
/// differs per route: each says it with <see cref="UnansweredAdvice"/>.
/// </summary>
internal sealed class UnansweredRequestFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RequestTimeoutException)
        {
            var advice = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<UnansweredAdvice>();
            return Problems.Unavailable(
                advice?.Detail(context.HttpContext) ?? "No service answered over the bus in time.");
        }
    }
}

/// <summary>The detail of a route's 503 when the bus request it made went unanswered.</summary>
internal sealed record UnansweredAdvice(Func<HttpContext, string> Detail);

internal static class UnansweredAdviceExtensions
{
    public static RouteHandlerBuilder WhenUnanswered(this RouteHandlerBuilder route, string detail) =>
        route.WithMetadata(new UnansweredAdvice(_ => detail));

    public static RouteHandlerBuilder WhenUnanswered(
        this RouteHandlerBuilder route, Func<HttpContext, string> detail) =>
        route.WithMetadata(new UnansweredAdvice(detail));
}
