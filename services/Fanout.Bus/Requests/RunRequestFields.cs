using Fanout.Contracts;

namespace Fanout.Bus.Requests;

/// <summary>
/// Every field a run request may carry: its JSON name, the shapes that accept it and where it lands on
/// <see cref="InvokeFanout"/>. A new field is one entry here; a field not listed for a shape is refused by name.
/// </summary>
public static class RunRequestFields
{
    static readonly RunRequestShape[] Every =
        [RunRequestShape.Fanout, RunRequestShape.Parallel, RunRequestShape.Message];
    static readonly RunRequestShape[] FanoutAndMessage = [RunRequestShape.Fanout, RunRequestShape.Message];
    static readonly RunRequestShape[] ParallelOnly = [RunRequestShape.Parallel];
    static readonly RunRequestShape[] MessageOnly = [RunRequestShape.Message];

    internal static readonly IReadOnlyList<RunRequestField> All =
    [
        new("targets", Every, (request, value) => request with { Targets = value.Targets() }),
        new("calls", Every, (request, value) => request with { Calls = value.Calls() }),
        new("on_final", FanoutAndMessage, (request, value) => request with { OnFinal = value.Names() },
            NotHere: "a parallel execution has no final callbacks; pass them as 'callbacks', or start a fan-out"),
        new("on_target", FanoutAndMessage, (request, value) => request with { OnTarget = value.Names() },
            NotHere: "a parallel execution's callbacks go in 'callbacks'"),
        new("callbacks", ParallelOnly, (request, value) => request with { OnTarget = value.Names() },
            NotHere: "a fan-out's per-target callbacks go in 'on_target', its final callbacks in 'on_final'"),
        new("cid", Every, (request, value) => request with { Cid = value.Text() }),
        new("source", Every, (request, value) => request with { Source = value.Text() }),
        new("mode", MessageOnly, (request, value) => request with { Mode = value.Text() ?? request.Mode },
            NotHere: "the endpoint or command picks the mode"),
        new("deadline_ms", Every, (request, value) => request with { DeadlineMs = value.WholeNumber() }),
        new("max_concurrency", Every, (request, value) => request with { MaxConcurrency = value.Concurrency() }),
        new("retry", Every, (request, value) => request with { Retry = value.Retry() }),
        new("fail_fast", Every, (request, value) => request with { FailFast = value.Flag() }),
        new("quorum", Every,
            (request, value) => request with { Quorum = value.Number("a whole number of targets that must end ok") }),
        new("require_live_services", Every,
            (request, value) => request with { RequireLiveServices = value.Flag() }),
        new("req_ts_utc", MessageOnly, (request, value) => request with { RequestedAtUtc = value.UtcTime() },
            NotHere: "the request time is set when the request is received"),
    ];

    /// <summary>The field names <paramref name="shape"/> accepts.</summary>
    public static IReadOnlyList<string> AcceptedBy(RunRequestShape shape) =>
        All.Where(f => f.Shapes.Contains(shape)).Select(f => f.Name).ToList();

    internal static RunRequestField? Accepted(string name, RunRequestShape shape) =>
        All.FirstOrDefault(f => f.Name == name && f.Shapes.Contains(shape));

    /// <summary>
    /// Why <paramref name="name"/> is refused in <paramref name="shape"/>, with the field meant where it can tell.
    /// </summary>
    internal static string NotAccepted(string name, RunRequestShape shape)
    {
        if (All.FirstOrDefault(f => f.Name == name) is { } elsewhere)
            return $"field '{name}' does not belong in {Describe(shape)}: {elsewhere.NotHere}";
        var accepted = AcceptedBy(shape);
        return ClosestName.Among(name, accepted) is { } meant
            ? $"unknown field '{name}' (did you mean '{meant}'?)"
            : $"unknown field '{name}'; {Describe(shape)} takes {string.Join(", ", accepted)}";
    }

    static string Describe(RunRequestShape shape) => shape switch
    {
        RunRequestShape.Fanout => "a fan-out request",
        RunRequestShape.Parallel => "a parallel request",
        _ => "an InvokeFanout message",
    };
}

/// <summary>
/// One entry of <see cref="RunRequestFields"/>; <paramref name="NotHere"/> says what to do instead where it is refused.
/// </summary>
internal sealed record RunRequestField(string Name, RunRequestShape[] Shapes,
    Func<InvokeFanout, FieldValue, InvokeFanout> Apply, string? NotHere = null);
