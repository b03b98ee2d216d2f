using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>
/// An <see cref="InvokeFanout"/> was refused; nothing was started and no running fan-out was touched.
/// </summary>
public sealed record FanoutRejected
{
    /// <summary>The request itself is wrong (names, callbacks, limits); sending it again cannot succeed.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>
    /// Another run holds the CID; when a resend of this very request gets it, the first send was accepted.
    /// </summary>
    public const string CidInUse = "cid_in_use";

    /// <summary>
    /// The request asked for live services only and one has no live host (<c>require_live_services</c>).
    /// </summary>
    public const string UnknownService = ServiceWarnings.UnknownServiceCode;

    [JsonPropertyName("cid")] public string? Cid { get; init; }

    /// <summary>Why, as a machine-readable code: <see cref="InvalidRequest"/> or <see cref="CidInUse"/>.</summary>
    [JsonPropertyName("code")] public required string Code { get; init; }

    /// <summary>Why, worded for a person.</summary>
    [JsonPropertyName("reason")] public required string Reason { get; init; }
}
