using Fanout.Contracts;

namespace Fanout.Bus.Patterns;

/// <summary>
/// <see cref="IParallelClient"/>: as <see cref="FanoutClient"/>, with per-target callbacks and no final ones.
/// </summary>
internal sealed class ParallelClient(PatternsClient patterns) : IParallelClient
{
    public Task<string> InvokeAsync(IReadOnlyDictionary<string, object?> targets, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        patterns.InvokeAsync(Build(FanoutClient.Required(targets), null, callbacks, cid, options), cancellationToken);

    public Task<string> InvokeAsync(IEnumerable<Call> calls, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        patterns.InvokeAsync(Build(null, FanoutClient.Required(calls), callbacks, cid, options), cancellationToken);

    public Task<string> MapAsync(string service, IEnumerable<object?> requests, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        InvokeAsync(FanoutCall.Map(service, requests), callbacks, cid, options, cancellationToken);

    public Task<RunResult> InvokeAndWaitAsync(IReadOnlyDictionary<string, object?> targets,
        IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        patterns.InvokeAndWaitAsync(Build(FanoutClient.Required(targets), null, callbacks, cid, options), timeout,
            cancellationToken);

    public Task<RunResult> InvokeAndWaitAsync(IEnumerable<Call> calls, IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        patterns.InvokeAndWaitAsync(Build(null, FanoutClient.Required(calls), callbacks, cid, options), timeout,
            cancellationToken);

    public async Task<RunResult<T>> MapAndWaitAsync<T>(string service, IEnumerable<object?> requests,
        IEnumerable<string> callbacks,
        string? cid = null, RunOptions? options = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        (await InvokeAndWaitAsync(FanoutCall.Map(service, requests), callbacks, cid, options, timeout,
            cancellationToken).ConfigureAwait(false)).As<T>();

    static InvokeFanout Build(IReadOnlyDictionary<string, object?>? targets, IEnumerable<Call>? calls,
        IEnumerable<string> callbacks, string? cid, RunOptions? options)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        return PatternsClient.Build(InvocationMode.Parallel, targets, calls, [], callbacks, cid, options);
    }
}
