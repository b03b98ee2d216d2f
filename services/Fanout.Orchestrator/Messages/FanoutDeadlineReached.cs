using System.Text.Json.Serialization;
using MassTransit;

namespace Fanout.Orchestrator.Messages;

/// <summary>Sent by the orchestrator's deadline sweeper when a running fan-out's stored deadline passed.</summary>
/// <remarks>Keeps the URN it had in Fanout.Contracts, so one already queued by an earlier version is still consumed.</remarks>
[MessageUrn("Fanout.Contracts:FanoutDeadlineReached")]
[EntityName("Fanout.Contracts:FanoutDeadlineReached")]
public sealed record FanoutDeadlineReached
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
}
