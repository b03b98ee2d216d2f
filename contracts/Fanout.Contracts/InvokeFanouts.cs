using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Runs a gateway (or client) collected from concurrent submissions, started together (one commit on SQLite) and
/// answered with one <see cref="FanoutsAnswered"/>: each run exactly as an <see cref="InvokeFanout"/> of its own would
/// be. A redelivered batch starts nothing twice: each run's CID is taken once, and a run already started by this very
/// batch is answered accepted again.
/// </summary>
public sealed record InvokeFanouts
{
    [JsonPropertyName("runs")] public required IReadOnlyList<InvokeFanout> Runs { get; init; }
}

/// <summary>The answer to <see cref="InvokeFanouts"/>: one per run, in the order submitted.</summary>
public sealed record FanoutsAnswered
{
    [JsonPropertyName("answers")] public required IReadOnlyList<FanoutAnswer> Answers { get; init; }
}

/// <summary>One run's answer: exactly one of the two is set.</summary>
public sealed record FanoutAnswer
{
    [JsonPropertyName("accepted"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FanoutAccepted? Accepted { get; init; }

    [JsonPropertyName("rejected"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FanoutRejected? Rejected { get; init; }
}
