// RFC 7638: the JWK thumbprint is SHA-256 over the required public members, in lexicographic
// order, with no whitespace, base64url-encoded (RFC 7638 §3).
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Algorithms;

namespace Tessera.Jose;

internal static class JwkThumbprint
{
    public static string Compute(JwsKey key)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            key.WriteThumbprintMembers(writer);
            writer.WriteEndObject();
        }

        return Base64Url.Encode(SHA256.HashData(buffer.WrittenSpan));
    }
}
