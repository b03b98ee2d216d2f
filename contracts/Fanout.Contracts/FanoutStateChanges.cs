using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Published by the orchestrator after each commit: the runs' state changes it stored, in commit order (a run's start
/// comes before its progress). Observers (the CLI's tail, the waiters, the gateway's live feed) read these; a single
/// change travels in one of these too.
/// </summary>
public sealed record FanoutStateChanges
{
    [JsonPropertyName("changes")] public required IReadOnlyList<FanoutStateChanged> Changes { get; init; }
}
