using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Fanout.Bus.Authoring;

namespace Fanout.Samples.Services;

/// <summary>
/// Shows retries from the outside: raises for the first <c>fail_times</c> invocations of each (cid, key) in this
/// process, then answers with the attempt that succeeded. Run it with <c>"retry": {"attempts": 3}</c> and
/// <c>{"fail_times": 2}</c> to see it succeed on attempt 3.
/// </summary>
[Service("sample.flaky")]
public sealed class FlakyService : FanoutService<FlakyRequest, FlakyReply>
{
    // Static: a new service instance serves every message. An entry is dropped once its call succeeded.
    static readonly ConcurrentDictionary<(string Cid, string Key), int> Invocations = new();

    public override Task<FlakyReply> HandleAsync(FlakyRequest request, ServiceContext context)
    {
        var id = (context.Cid, context.Key ?? context.ServiceName);
        var invocation = Invocations.AddOrUpdate(id, 1, (_, seen) => seen + 1);
        if (invocation <= request.FailTimes)
            throw new InvalidOperationException(
                $"sample.flaky fails invocation {invocation} of {request.FailTimes} for {id.Item2} on purpose");
        Invocations.TryRemove(id, out _);
        return Task.FromResult(new FlakyReply(context.Attempt, invocation));
    }
}

public sealed record FlakyRequest
{
    /// <summary>How many invocations of each (cid, key) raise before one succeeds.</summary>
    [JsonPropertyName("fail_times")] public int FailTimes { get; init; }
}

/// <param name="Attempt">The attempt of the call's retry policy that succeeded.</param>
/// <param name="Invocation">How many times this process ran the (cid, key), the successful one included.</param>
public sealed record FlakyReply(
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("invocation")] int Invocation);
