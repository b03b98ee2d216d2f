using Fanout.Contracts;

namespace Fanout.Bus.Requests;

/// <summary>
/// A run request read from JSON or the command line. <see cref="Request"/> is filled as far as the input allowed;
/// send it only when <see cref="Problems"/> is empty.
/// </summary>
public sealed record ParsedRunRequest(InvokeFanout Request, IReadOnlyList<RequestProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
