using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// How often a call that raised is tried again. The delay before attempt n (n ≥ 2) is
/// <c>delay_ms × 2^(n-2)</c>: <c>delay_ms</c>, then twice that, and so on. Only the last attempt is reported.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Total attempts, the first included; 1 means no retry.</summary>
    [JsonPropertyName("attempts")] public int Attempts { get; init; } = 1;

    /// <summary>Milliseconds before the second attempt; doubles for each further attempt.</summary>
    [JsonPropertyName("delay_ms")] public int DelayMs { get; init; }
}
