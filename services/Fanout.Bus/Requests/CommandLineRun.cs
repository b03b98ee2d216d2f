using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Bus.Requests;

/// <summary>
/// What <c>fanout invoke</c> or <c>fanout parallel</c> was given, before it is read into a request by
/// <see cref="RunRequests.FromCommandLine"/>. Options win over the file; callback lists are merged.
/// </summary>
public sealed record CommandLineRun
{
    /// <summary><c>--target name=JSON</c> values; a name without <c>=</c> sends JSON null.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary><c>--on-final</c>.</summary>
    public IReadOnlyList<string> OnFinal { get; init; } = [];

    /// <summary><c>--on-target</c> of a fan-out, <c>--callback</c> of a parallel execution.</summary>
    public IReadOnlyList<string> OnTarget { get; init; } = [];

    public string? Cid { get; init; }
    public long? DeadlineMs { get; init; }
    public int? MaxConcurrency { get; init; }

    /// <summary>
    /// <c>--map SERVICE --requests FILE</c>: one call per request line; placed after the file's calls.
    /// </summary>
    public IReadOnlyList<Call> Calls { get; init; } = [];

    /// <summary><c>--retry</c> and <c>--retry-delay</c>.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary><c>--fail-fast</c> (only when given; false leaves the file's value).</summary>
    public bool FailFast { get; init; }

    /// <summary><c>--quorum</c>.</summary>
    public int? Quorum { get; init; }

    /// <summary><c>--file</c>: a request shaped like the gateway's body for the same pattern.</summary>
    public JsonElement? File { get; init; }
}
