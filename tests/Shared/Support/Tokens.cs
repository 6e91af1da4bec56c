using System.Text;
using Tessera.Algorithms;
using Tessera.Jose;

namespace Tessera.Tests.Support;

/// <summary>Builds tokens byte by byte, so tests can sign exactly the header and payload they mean.</summary>
public static class Tokens
{
    public const string Issuer = "https://auth.test";
    public const string Audience = "api";
    public const long Now = 1_800_000_000;

    public static string B64(string text) => Base64Url.Encode(Encoding.UTF8.GetBytes(text));

    public static string B64(byte[] bytes) => Base64Url.Encode(bytes);

    /// <summary>A valid claims set at <see cref="Now"/>, with overrides appended raw.</summary>
    public static string Claims(string? extra = null, long now = Now) =>
        $"{{\"iss\":\"{Issuer}\",\"sub\":\"device-1\",\"aud\":\"{Audience}\",\"exp\":{now + 300},\"iat\":{now},\"jti\":\"id-{Guid.NewGuid():N}\"{(extra is null ? "" : "," + extra)}}}";

    public static string Header(JwsKey key, string typ = "at+jwt") =>
        $"{{\"alg\":\"{key.Algorithm.Name}\",\"typ\":\"{typ}\",\"kid\":\"{key.KeyId}\"}}";

    /// <summary>Signs the exact header and payload JSON text with <paramref name="key"/>.</summary>
    public static string Sign(JwsKey key, string headerJson, string payloadJson) =>
        SignEncoded(key, B64(headerJson) + "." + B64(payloadJson));

    /// <summary>Signs an already-encoded <c>header.payload</c>.</summary>
    public static string SignEncoded(JwsKey key, string signingInput)
    {
        byte[] input = Encoding.ASCII.GetBytes(signingInput);
        byte[] signature = new byte[key.SignatureSize];
        int n = key.Sign(input, signature);
        return signingInput + "." + Base64Url.Encode(signature.AsSpan(0, n));
    }

    /// <summary>A valid token for <paramref name="key"/> at <see cref="Now"/>.</summary>
    public static string Valid(JwsKey key, string? extraClaims = null) => Sign(key, Header(key), Claims(extraClaims));
}
