// Client secrets for client_secret_basic / client_secret_post (RFC 6749 §2.3.1). Tessera makes
// them itself: 256 random bits, shown once. Only a salted hash is stored:
// "hmac-sha256$<salt>$<mac>" with a 128-bit random salt. A fast keyed hash is the right tool for
// a 256-bit random secret (there is nothing to brute-force; password hashing would only cost
// CPU per request); comparison is constant-time (RFC 6749 §10.12 asks for no timing leaks).
using System.Security.Cryptography;
using B64 = System.Buffers.Text.Base64Url;
using System.Text;

namespace Tessera.Server.Clients;

/// <summary>Makes and checks client secrets.</summary>
public static class ClientSecret
{
    private const string Scheme = "hmac-sha256";

    /// <summary>A new secret (43 base64url characters) and the hash to store.</summary>
    public static (string Secret, string Hash) Generate()
    {
        Span<byte> secret = stackalloc byte[32];
        RandomNumberGenerator.Fill(secret);
        string text = B64.EncodeToString(secret);
        CryptographicOperations.ZeroMemory(secret);
        return (text, Hash(text));
    }

    /// <summary>The salted hash of <paramref name="secret"/>.</summary>
    public static string Hash(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Span<byte> salt = stackalloc byte[16];
        RandomNumberGenerator.Fill(salt);
        return $"{Scheme}${B64.EncodeToString(salt)}${B64.EncodeToString(Mac(salt, secret))}";
    }

    /// <summary>True when <paramref name="secret"/> matches <paramref name="hash"/>. Never throws.</summary>
    public static bool Verify(string? secret, string? hash)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 512 || hash is null)
        {
            return false;
        }

        string[] parts = hash.Split('$');
        if (parts.Length != 3 || parts[0] != Scheme
            || DecodeOrNull(parts[1]) is not { Length: 16 } salt
            || DecodeOrNull(parts[2]) is not { Length: 32 } expected)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Mac(salt, secret), expected);
    }

    /// <summary>True when <paramref name="hash"/> has the stored form.</summary>
    public static bool IsWellFormed(string? hash) =>
        hash?.Split('$') is [Scheme, var salt, var mac] && DecodeOrNull(salt) is { Length: 16 } && DecodeOrNull(mac) is { Length: 32 };

    private static byte[] Mac(ReadOnlySpan<byte> salt, string secret) =>
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));

    // The stored hash is the operator's (auth.json), never a client's: the BCL decoder will do.
    private static byte[]? DecodeOrNull(string text)
    {
        byte[] bytes = new byte[B64.GetMaxDecodedLength(text.Length)];
        return B64.TryDecodeFromChars(text, bytes, out int written) ? bytes[..written] : null;
    }
}
