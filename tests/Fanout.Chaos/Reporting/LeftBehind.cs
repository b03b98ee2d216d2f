using Fanout.Chaos.Deployment;

namespace Fanout.Chaos.Reporting;

/// <summary>
/// What a scenario left broken (<see cref="Problems"/>, none when clean), the processes concerned with their state, and
/// notes on what broke and mended itself meanwhile.
/// </summary>
public sealed record LeftBehind(IReadOnlyList<string> Problems, IReadOnlyList<ProcessState> Processes,
    IReadOnlyList<string> Notes)
{
    public static readonly LeftBehind NotChecked = new([], [], []);

    public bool Clean => Problems.Count == 0;
}
