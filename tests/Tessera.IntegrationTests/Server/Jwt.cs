using System.Text.Json;
using Tessera.Jose;

namespace Tessera.IntegrationTests.Server;

/// <summary>Reads a compact JWS's header and payload (no verification: that is what the tests check elsewhere).</summary>
public static class Jwt
{
    public static JsonElement Header(string token) => Part(token, 0);

    public static JsonElement Payload(string token) => Part(token, 1);

    public static string Kid(string token) => Header(token).GetProperty("kid").GetString()!;

    public static string SignatureSegment(string token) => token.Split('.')[2];

    private static JsonElement Part(string token, int index)
    {
        string[] parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return JsonDocument.Parse(Base64Url.Decode(parts[index]) ?? throw new FormatException("not base64url")).RootElement;
    }
}
