namespace Fanout.Bus.Patterns;

/// <summary>A fan-out or parallel execution was refused before anything ran; <see cref="Exception.Message"/> says why.</summary>
public sealed class FanoutRequestException(string? cid, IReadOnlyList<string> problems)
    : ArgumentException(Describe(cid, problems))
{
    public string? Cid { get; } = cid;
    public IReadOnlyList<string> Problems { get; } = problems;

    static string Describe(string? cid, IReadOnlyList<string> problems) =>
        (cid is null ? "Request refused: " : $"Request with CID '{cid}' refused: ") + string.Join("; ", problems);
}
