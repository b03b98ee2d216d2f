using Fanout.Contracts;

namespace Fanout.Bus.Patterns;

/// <summary>
/// A fan-out or parallel execution was refused before anything ran; <see cref="Exception.Message"/> says why.
/// </summary>
public sealed class FanoutRequestException(
    string? cid, IReadOnlyList<string> problems, string code = FanoutRejected.InvalidRequest)
    : ArgumentException(Describe(cid, problems))
{
    public string? Cid { get; } = cid;
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>
    /// Why, as one of the <see cref="FanoutRejected"/> codes, e.g. <see cref="FanoutRejected.CidInUse"/>.
    /// </summary>
    public string Code { get; } = code;

    static string Describe(string? cid, IReadOnlyList<string> problems) =>
        (cid is null ? "Request refused: " : $"Request with CID '{cid}' refused: ") + string.Join("; ", problems);
}
