using System.Text.Json.Serialization;
using Fanout.Contracts;

namespace Fanout.Orchestrator.Messages;

/// <summary>
/// Completions of one fan-out gathered into a batch, so the saga applies many in one write. Sent in process, through
/// the mediator, by the orchestrator that received the results (<c>ResultsFanIn</c>); never published on the broker.
/// </summary>
public sealed record RecordTargetResults
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("results")] public required IReadOnlyList<TargetCompleted> Results { get; init; }
}
