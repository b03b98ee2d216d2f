using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// Results of calls of several runs, published together by a service host: whatever finished across every service,
/// chunk and run it works on while its previous batch was on its way. Applied by the orchestrator that receives
/// it, every run's saga in one commit where the store allows. A key may be reported again after a redelivery; the
/// orchestrator keeps the first result per key.
/// </summary>
public sealed record CallsCompletedForRuns
{
    /// <summary>The service, when every result is one service's; null when several services' results travel together.
    /// </summary>
    [JsonPropertyName("service")] public string? Service { get; init; }

    /// <summary>One entry per run and service, each with its CID, service and results.</summary>
    [JsonPropertyName("runs")] public required IReadOnlyList<CallsCompleted> Runs { get; init; }
}
