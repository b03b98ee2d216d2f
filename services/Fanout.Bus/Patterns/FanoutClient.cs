using Fanout.Contracts;

namespace Fanout.Bus.Patterns;

/// <summary>
/// <see cref="IFanoutClient"/>: each overload builds one <see cref="InvokeFanout"/> and hands it to
/// <see cref="PatternsClient"/>.
/// </summary>
internal sealed class FanoutClient(PatternsClient patterns) : IFanoutClient
{
    public Task<string> InvokeAsync(IReadOnlyDictionary<string, object?> targets, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        CancellationToken cancellationToken = default) =>
        patterns.InvokeAsync(Build(Required(targets), null, finalCallbacks, targetCallbacks, cid, options),
            cancellationToken);

    public Task<string> InvokeAsync(IEnumerable<Call> calls, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        CancellationToken cancellationToken = default) =>
        patterns.InvokeAsync(Build(null, Required(calls), finalCallbacks, targetCallbacks, cid, options),
            cancellationToken);

    public Task<string> MapAsync(string service, IEnumerable<object?> requests, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(FanoutCall.Map(service, requests), finalCallbacks, targetCallbacks, cid, options,
            cancellationToken);

    public Task<RunResult> InvokeAndWaitAsync(IReadOnlyDictionary<string, object?> targets,
        IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        patterns.InvokeAndWaitAsync(Build(Required(targets), null, finalCallbacks, targetCallbacks, cid, options),
            timeout, cancellationToken);

    public Task<RunResult> InvokeAndWaitAsync(IEnumerable<Call> calls, IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        patterns.InvokeAndWaitAsync(Build(null, Required(calls), finalCallbacks, targetCallbacks, cid, options),
            timeout, cancellationToken);

    public async Task<RunResult<T>> MapAndWaitAsync<T>(string service, IEnumerable<object?> requests,
        IEnumerable<string> finalCallbacks,
        IEnumerable<string>? targetCallbacks = null, string? cid = null, RunOptions? options = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (await InvokeAndWaitAsync(FanoutCall.Map(service, requests), finalCallbacks, targetCallbacks, cid, options,
            timeout, cancellationToken).ConfigureAwait(false)).As<T>();

    static InvokeFanout Build(IReadOnlyDictionary<string, object?>? targets, IEnumerable<Call>? calls,
        IEnumerable<string> finalCallbacks, IEnumerable<string>? targetCallbacks, string? cid, RunOptions? options)
    {
        ArgumentNullException.ThrowIfNull(finalCallbacks);
        return PatternsClient.Build(InvocationMode.Fanout, targets, calls, finalCallbacks, targetCallbacks, cid,
            options);
    }

    internal static T Required<T>(T value) where T : class => value ?? throw new ArgumentNullException(nameof(value));
}
