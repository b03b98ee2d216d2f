namespace Fanout.Bus.Requests;

/// <summary>
/// Problems of one kind, at most <paramref name="limit"/> of them spelled out: a run of 100,000 bad calls should say
/// what is wrong in a screenful, not in 100,000 lines.
/// </summary>
internal sealed class CappedProblems(List<RequestProblem> problems, string kind, int limit = 10)
{
    int _count;

    public void Add(RequestProblem problem)
    {
        if (_count++ < limit)
            problems.Add(problem);
    }

    /// <summary>Adds one line counting what was left out; call once after the last <see cref="Add"/>.</summary>
    public void Close()
    {
        if (_count > limit)
            problems.Add($"... and {_count - limit} more {kind}");
    }
}
