namespace Fanout.Bus.Authoring;

/// <summary>
/// The request (or callback payload) does not bind to the handler's request type. The same JSON fails the same
/// way every time, so it is never retried.
/// </summary>
public sealed class RequestShapeException(Type requestType, Exception inner)
    : Exception($"The request does not fit {requestType.Name}: {inner.Message}", inner)
{
    public Type RequestType { get; } = requestType;
}
