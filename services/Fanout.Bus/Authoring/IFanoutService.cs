using System.Text.Json;

namespace Fanout.Bus.Authoring;

/// <summary>
/// The untyped shape the bus calls. Write services by deriving from <see cref="FanoutService{TRequest,TResponse}"/>,
/// <see cref="TargetCallback"/> or <see cref="FinalCallback"/> instead of implementing this directly.
/// </summary>
public interface IFanoutService
{
    /// <summary>Handles one request; a thrown exception is reported to callbacks as <c>ok=false</c>.</summary>
    Task<JsonElement?> InvokeAsync(JsonElement? request, ServiceContext context);
}
