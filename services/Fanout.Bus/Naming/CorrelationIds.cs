using System.Security.Cryptography;
using System.Text;

namespace Fanout.Bus.Naming;

/// <summary>
/// A fan-out is known to users by a string CID; sagas are keyed by Guid. The Guid is a name-based
/// (RFC 4122 version 5) hash of the CID, so every process maps a CID to the same saga without a lookup.
/// </summary>
public static class CorrelationIds
{
    public const int MaxLength = 128;

    static readonly Guid Namespace = new("6f3c7a55-93a4-4f0e-9f56-3e4b8f0d2a11");

    public static string NewCid() => Guid.NewGuid().ToString("N");

    /// <summary>Null when <paramref name="cid"/> is acceptable, else why not.</summary>
    public static string? Problem(string? cid)
    {
        if (cid is null || cid.Length == 0 || string.IsNullOrWhiteSpace(cid))
            return "the CID is empty";
        if (cid.Length > MaxLength)
            return $"the CID is {cid.Length} characters long; the limit is {MaxLength}";
        if (cid.Any(char.IsControl))
            return "the CID contains control characters";
        return null;
    }

    public static Guid ToGuid(string cid)
    {
        Span<byte> ns = stackalloc byte[16];
        Namespace.TryWriteBytes(ns, bigEndian: true, out _);
        var name = Encoding.UTF8.GetBytes(cid);
        var input = new byte[16 + name.Length];
        ns.CopyTo(input);
        name.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
