using Tessera.Jose;

namespace Tessera.Tests.Interop;

/// <summary>Small, deliberate changes to a compact JWS that every verifier must refuse.</summary>
public static class Tamper
{
    /// <summary>The same token with one bit of the first signature byte flipped.</summary>
    public static string SignatureBit(string token)
    {
        string[] parts = token.Split('.');
        byte[] signature = Base64Url.Decode(parts[2])!;
        signature[0] ^= 0x01;
        return parts[0] + "." + parts[1] + "." + Base64Url.Encode(signature);
    }

    /// <summary>The same header and signature over a payload with one claim value changed.</summary>
    public static string Payload(string token, string from, string to)
    {
        string[] parts = token.Split('.');
        string payload = System.Text.Encoding.UTF8.GetString(Base64Url.Decode(parts[1])!);
        Assert.Contains(from, payload, StringComparison.Ordinal);
        return parts[0] + "." + Support.Tokens.B64(payload.Replace(from, to, StringComparison.Ordinal)) + "." + parts[2];
    }
}
