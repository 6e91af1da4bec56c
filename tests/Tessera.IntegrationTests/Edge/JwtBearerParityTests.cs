// AddTesseraBearer beside the stock JwtBearer (Microsoft.IdentityModel) on the same RS256 tokens
// from a real `tessera serve`: for every token the two give the same answer. Then the one the
// stock handler cannot give: an EdDSA token (Tessera's default) is refused by JwtBearer and
// accepted by AddTesseraBearer.
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.IntegrationTests.Server;
using Tessera.Tests.Interop;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class JwtBearerParityTests(Rs256Server server) : IClassFixture<Rs256Server>
{
    [Fact]
    public async Task SameTokens_SameAnswers_StockJwtBearer_And_TesseraBearer()
    {
        string valid = await server.TokenAsync("svc");
        string[] parts = valid.Split('.');
        string header = Encoding.UTF8.GetString(Base64Url(parts[0]));
        var cases = new Dictionary<string, (string Token, HttpStatusCode Expected)>
        {
            ["valid"] = (valid, HttpStatusCode.OK),
            ["another valid (other client)"] = (await server.TokenAsync("other"), HttpStatusCode.OK),
            ["payload changed"] = (Tamper.Payload(valid, "\"sub\":\"svc\"", "\"sub\":\"admin\""), HttpStatusCode.Unauthorized),
            ["signature bit flipped"] = (Tamper.SignatureBit(valid), HttpStatusCode.Unauthorized),
            ["alg none, no signature"] = (Tokens.B64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + ".", HttpStatusCode.Unauthorized),
            ["HS256 keyed with the RSA public key"] = (await ConfusedHs256Async(parts[1]), HttpStatusCode.Unauthorized),
            ["unknown kid"] = (ResignedHeader(header.Replace("\"kid\":\"", "\"kid\":\"x", StringComparison.Ordinal), parts), HttpStatusCode.Unauthorized),
            ["two segments"] = (parts[0] + "." + parts[1], HttpStatusCode.Unauthorized),
        };

        await using ResourceServer stock = await ResourceServer.StartAsync(server.Issuer, "api", server.TrustingHandler());
        await using TesseraApi tessera = await TesseraApi.StartAsync(o =>
        {
            o.Authority = server.Issuer;
            o.Audience = "api";
            o.BackchannelCaFile = server.CertPath;
            o.Algorithms.Add("RS256");
        });

        foreach ((string name, (string token, HttpStatusCode expected)) in cases)
        {
            HttpStatusCode byStock = (await stock.GetDataAsync(token)).Status;
            HttpStatusCode byTessera = (await tessera.GetAsync("/data", token)).Status;
            Assert.True(byStock == expected && byTessera == expected, $"{name}: JwtBearer {(int)byStock}, TesseraBearer {(int)byTessera}, expected {(int)expected}");
        }
    }

    private static string ResignedHeader(string header, string[] parts) => Tokens.B64(header) + "." + parts[1] + "." + parts[2];

    // RFC 8725 §2.1's confusion: the server's RSA public key (SPKI PEM text, as a verifier that
    // trusts the header might use it) as an HMAC secret.
    private async Task<string> ConfusedHs256Async(string payload)
    {
        using HttpClient http = new(server.TrustingHandler());
        using JsonDocument jwks = JsonDocument.Parse(await http.GetStringAsync(server.JwksUri));
        JsonElement jwk = jwks.RootElement.GetProperty("keys")[0];
        using RSA rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Base64Url(jwk.GetProperty("n").GetString()!), Exponent = Base64Url(jwk.GetProperty("e").GetString()!) });
        byte[] secret = Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem());
        string input = Tokens.B64($"{{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"{jwk.GetProperty("kid").GetString()}\"}}") + "." + payload;
        return input + "." + Tokens.B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    private static byte[] Base64Url(string text) => Tessera.Jose.Base64Url.Decode(text) ?? throw new FormatException(text);
}

public sealed class EdDsaBeyondJwtBearerTests(EdDsaServer server) : IClassFixture<EdDsaServer>
{
    [Fact]
    public async Task EdDsaToken_StockJwtBearerRefusesIt_TesseraBearerAcceptsIt()
    {
        string token = await server.TokenAsync("svc");
        await using ResourceServer stock = await ResourceServer.StartAsync(server.Issuer, "api", server.TrustingHandler());
        await using TesseraApi tessera = await TesseraApi.StartAsync(o =>
        {
            o.Authority = server.Issuer;
            o.Audience = "api";
            o.BackchannelCaFile = server.CertPath;
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await stock.GetDataAsync(token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await tessera.GetAsync("/data", token)).Status);
    }
}
