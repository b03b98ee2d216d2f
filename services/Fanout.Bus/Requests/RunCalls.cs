using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Bus.Requests;

/// <summary>One invocation of a run, as the orchestrator stores it: plain targets and calls alike.</summary>
public sealed record PlannedCall(string Key, string Service, JsonElement? Request, RetryPolicy? Retry);

/// <summary>
/// The one rule that turns <see cref="InvokeFanout.Targets"/> and <see cref="InvokeFanout.Calls"/> into keyed calls:
/// a target's key is its service name; a call's key is its own or <c>&lt;service&gt;#&lt;index&gt;</c>.
/// <c>#</c> is not allowed in service names, so default keys never collide with target names.
/// </summary>
public static class RunCalls
{
    public static string DefaultKey(string service, int index) => $"{service}#{index}";

    /// <summary>
    /// Targets first (in the order given), then calls; the run's retry applies where a call has none.
    /// </summary>
    public static IEnumerable<PlannedCall> Expand(InvokeFanout request)
    {
        foreach (var (service, body) in request.Targets ?? [])
            yield return new PlannedCall(service, service, body, request.Retry);
        var calls = request.Calls ?? [];
        for (var index = 0; index < calls.Count; index++)
        {
            var call = calls[index];
            yield return new PlannedCall(call.Key ?? DefaultKey(call.Service, index), call.Service, call.Request,
                call.Retry ?? request.Retry);
        }
    }

    /// <summary>How many invocations the run makes.</summary>
    public static int Count(InvokeFanout request) => (request.Targets?.Count ?? 0) + (request.Calls?.Count ?? 0);
}
