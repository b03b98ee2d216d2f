using Fanout.Contracts;

namespace Fanout.Bus.Patterns;

/// <summary>
/// Parallel execution: after each target finished, every callback runs with its result. Returns and throws as
/// <see cref="IFanoutClient"/> does.
/// </summary>
public interface IParallelClient
{
    Task<string> InvokeAsync(IReadOnlyDictionary<string, object?> targets, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, CancellationToken cancellationToken = default);

    Task<string> InvokeAsync(IEnumerable<Call> calls, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// One call of <paramref name="service"/> per request, keyed <c>&lt;service&gt;#&lt;index&gt;</c>.
    /// </summary>
    Task<string> MapAsync(string service, IEnumerable<object?> requests, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, CancellationToken cancellationToken = default);

    Task<RunResult> InvokeAndWaitAsync(IReadOnlyDictionary<string, object?> targets, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default);

    Task<RunResult> InvokeAndWaitAsync(IEnumerable<Call> calls, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default);

    Task<RunResult<T>> MapAndWaitAsync<T>(string service, IEnumerable<object?> requests, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default);
}
