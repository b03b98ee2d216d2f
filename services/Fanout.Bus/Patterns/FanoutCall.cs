using Fanout.Contracts;

namespace Fanout.Bus.Patterns;

/// <summary>
/// Builds <see cref="Call"/>s from plain objects, serialized the way services read them (<see cref="FanoutJson"/>).
/// </summary>
public static class FanoutCall
{
    /// <summary>
    /// A call of <paramref name="service"/>; <paramref name="key"/> defaults to <c>&lt;service&gt;#&lt;index&gt;</c>.
    /// </summary>
    public static Call To(string service, object? request, string? key = null, RetryPolicy? retry = null) =>
        new()
        {
            Service = service,
            Request = FanoutJson.ToElement(request) ?? FanoutJson.Null,
            Key = key,
            Retry = retry
        };

    /// <summary>
    /// One call of <paramref name="service"/> per request, keyed <c>&lt;service&gt;#&lt;index&gt;</c>.
    /// </summary>
    public static List<Call> Map(string service, IEnumerable<object?> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return requests.Select(request => To(service, request)).ToList();
    }
}
