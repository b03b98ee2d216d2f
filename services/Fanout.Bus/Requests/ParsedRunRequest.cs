using Fanout.Contracts;

namespace Fanout.Bus.Requests;

/// <summary>
/// A run request read from JSON or the command line. <see cref="Request"/> is filled as far as the input allowed;
/// send it only when <see cref="Errors"/> is empty.
/// </summary>
public sealed record ParsedRunRequest(InvokeFanout Request, IReadOnlyList<RequestProblem> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The messages of <see cref="Errors"/>, for a person.</summary>
    public IReadOnlyList<string> Problems => Errors.Select(e => e.Message).ToList();
}
