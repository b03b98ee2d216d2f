using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// The <see cref="InvokeCalls"/> chunks of several runs to one service, committed together or while the orchestrator's
/// previous delivery was in flight, sent as one message to the queue named after <see cref="Service"/>. The service
/// runs each chunk as if it had come alone (<see cref="InvokeCalls.Id"/> deduplicates each on redelivery).
/// </summary>
public sealed record InvokeCallsForRuns
{
    [JsonPropertyName("service")] public required string Service { get; init; }

    /// <summary>Two or more chunks, each of one run, in the order they were committed.</summary>
    [JsonPropertyName("runs")] public required IReadOnlyList<InvokeCalls> Runs { get; init; }
}
