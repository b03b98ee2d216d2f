using Fanout.Contracts;

namespace Fanout.Bus.Patterns;

/// <summary>
/// Fan-out / fan-in. Each method returns the CID (<c>cid</c> when given) once the orchestrator accepted the run, and
/// throws <see cref="FanoutRequestException"/> when it is refused. The <c>...AndWait</c> forms then wait for the result
/// as <see cref="IFanoutPatterns.WaitForResultAsync"/> does.
/// </summary>
public interface IFanoutClient
{
    /// <summary>
    /// Invokes every target (service name to request) at once; after all finished, each final callback runs once with
    /// every result.
    /// </summary>
    Task<string> InvokeAsync(IReadOnlyDictionary<string, object?> targets, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Invokes every call (any number per service, see <see cref="FanoutCall"/>); results are keyed by each call's key.
    /// </summary>
    Task<string> InvokeAsync(IEnumerable<Call> calls, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// One call of <paramref name="service"/> per request, keyed <c>&lt;service&gt;#&lt;index&gt;</c>; its instances
    /// share them.
    /// </summary>
    Task<string> MapAsync(string service, IEnumerable<object?> requests, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        CancellationToken cancellationToken = default);

    Task<RunResult> InvokeAndWaitAsync(IReadOnlyDictionary<string, object?> targets,
        IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    Task<RunResult> InvokeAndWaitAsync(IEnumerable<Call> calls, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary><see cref="MapAsync"/>, then the result with each response read as <typeparamref name="T"/>.</summary>
    Task<RunResult<T>> MapAndWaitAsync<T>(string service, IEnumerable<object?> requests,
        IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
