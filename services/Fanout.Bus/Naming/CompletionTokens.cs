using System.Security.Cryptography;
using System.Text;

namespace Fanout.Bus.Naming;

/// <summary>
/// Per-target completion tokens: an HMAC-SHA256 of the CID and target name under a secret only the orchestrator
/// holds. Unguessable, and a token for one target proves nothing for another.
/// </summary>
public sealed class CompletionTokens(byte[] secret)
{
    public string For(string cid, string target)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"v1\n{cid}\n{target}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public bool IsValid(string cid, string target, string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(For(cid, target)), Encoding.ASCII.GetBytes(token));
}
