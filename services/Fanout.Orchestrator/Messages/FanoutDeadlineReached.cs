using System.Text.Json.Serialization;

namespace Fanout.Orchestrator.Messages;

/// <summary>Sent by the orchestrator's deadline sweeper when a running fan-out's stored deadline passed.</summary>
public sealed record FanoutDeadlineReached
{
    [JsonPropertyName("cid")] public required string Cid { get; init; }
}
