using System.Text.Json.Serialization;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Orchestrator.Messages;

/// <summary>
/// Completions of one fan-out gathered into a batch, so the saga applies many in one write.
/// Sent by the orchestrator's completion batcher to the saga; not meant for other senders.
/// </summary>
/// <remarks>
/// The URN and exchange keep the names this type had in Fanout.Contracts, so batches already queued (durable queues,
/// exchange bindings) by an earlier version are still consumed after an upgrade.
/// </remarks>
[MessageUrn("Fanout.Contracts:RecordTargetResults")]
[EntityName("Fanout.Contracts:RecordTargetResults")]
public sealed record RecordTargetResults
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
    [JsonPropertyName("results")] public required IReadOnlyList<TargetCompleted> Results { get; init; }
}
