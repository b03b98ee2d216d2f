using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Bus.Patterns;

/// <summary>An ended run: its final state and every target's payload, keyed by target key in request order.</summary>
public sealed record RunResult(FanoutSummary Run, IReadOnlyDictionary<string, TargetResultPayload> Results)
{
    public string Cid => Run.Cid;

    /// <summary><c>completed</c>, <c>timed_out</c> or <c>cancelled</c> (<see cref="FanoutStates"/>).</summary>
    public string State => Run.State;

    /// <summary>The run completed and every target ended ok.</summary>
    public bool AllOk => State == FanoutStates.Completed && Results.Values.All(r => r.Ok);

    /// <summary>
    /// The same results with each <c>response</c> read as <typeparamref name="T"/> (<see cref="FanoutJson"/>).
    /// </summary>
    public RunResult<T> As<T>() =>
        new(Run, Results.ToDictionary(r => r.Key, r => CallOutcome<T>.From(r.Key, r.Value), StringComparer.Ordinal));
}

/// <summary><see cref="RunResult"/> with typed responses.</summary>
public sealed record RunResult<T>(FanoutSummary Run, IReadOnlyDictionary<string, CallOutcome<T>> Results)
{
    public string Cid => Run.Cid;
    public string State => Run.State;
    public bool AllOk => State == FanoutStates.Completed && Results.Values.All(r => r.Ok);
}

/// <summary>One target's outcome: <see cref="Value"/> when it ended ok, else <see cref="Exception"/>.</summary>
public sealed record CallOutcome<T>(
    string Key, string? Service, bool Ok, T? Value, string? Exception, TargetResultPayload Payload)
{
    internal static CallOutcome<T> From(string key, TargetResultPayload payload)
    {
        T? value = default;
        if (payload.Ok
            && payload.Response is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } response)
            try
            {
                value = response.Deserialize<T>(FanoutJson.Options);
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException(
                    $"The response of '{key}' cannot be read as {typeof(T).Name}: {ex.Message}", ex);
            }

        return new CallOutcome<T>(key, payload.Service, payload.Ok, value, payload.Exception, payload);
    }
}
