using System.Text.Json;

namespace Fanout.Bus.Authoring;

/// <summary>
/// A service with a typed request and response. Mark the class with <see cref="ServiceAttribute"/>.
/// The request arrives as JSON and is bound to <typeparamref name="TRequest"/>; a callback's request is its payload.
/// </summary>
public abstract class FanoutService<TRequest, TResponse> : IFanoutService
{
    public abstract Task<TResponse> HandleAsync(TRequest request, ServiceContext context);

    async Task<JsonElement?> IFanoutService.InvokeAsync(JsonElement? request, ServiceContext context)
    {
        var response = await HandleAsync(Bind(request), context).ConfigureAwait(false);
        return FanoutJson.ToElement(response);
    }

    static TRequest Bind(JsonElement? request)
    {
        try
        {
            // JSON null binds to null for classes and to a null element for JsonElement requests.
            return (request is { ValueKind: not JsonValueKind.Undefined } json ? json : FanoutJson.Null)
                .Deserialize<TRequest>(FanoutJson.Options)!;
        }
        catch (JsonException ex)
        {
            throw new RequestShapeException(typeof(TRequest), ex);
        }
    }
}
