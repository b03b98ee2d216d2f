using System.Buffers.Text;
using System.Text;

namespace Fanout.Bus.Naming;

/// <summary>
/// A completion handle: one opaque, URL-safe string that names a run (CID) and a target key and carries that
/// target's completion token (<see cref="CompletionTokens"/>), so a partner that knows only a job id can report back.
/// Shape: <c>base64url(cid) "." base64url(key) "." token</c>. Reading one checks its shape only; the orchestrator,
/// which holds the secret, checks the token.
/// </summary>
public static class CompletionHandles
{
    /// <summary>Base64url of an HMAC-SHA256 without padding.</summary>
    const int TokenLength = 43;

    public static string Create(string cid, string key, string token) => $"{Encode(cid)}.{Encode(key)}.{token}";

    static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    /// <summary>The CID, key and token of <paramref name="handle"/>; false when it is not well-formed.</summary>
    public static bool TryRead(string? handle, out string cid, out string key, out string token)
    {
        cid = key = token = "";
        var parts = handle?.Split('.');
        if (parts is not { Length: 3 } || parts[2].Length != TokenLength || !Base64Url.IsValid(parts[2]))
            return false;
        if (Decode(parts[0]) is not { } decodedCid || CorrelationIds.Problem(decodedCid) is not null)
            return false;
        if (Decode(parts[1]) is not { Length: > 0 } decodedKey || decodedKey.Any(char.IsControl))
            return false;
        (cid, key, token) = (decodedCid, decodedKey, parts[2]);
        return true;
    }

    /// <summary>
    /// The text a segment encodes, only when the segment is that text's one encoding: base64url leaves spare bits in
    /// the last character, and a handle altered there must not read as the original.
    /// </summary>
    static string? Decode(string segment)
    {
        if (segment.Length == 0 || !Base64Url.IsValid(segment))
            return null;
        var bytes = Base64Url.DecodeFromChars(segment);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return Encode(text) == segment ? text : null;
    }
}
