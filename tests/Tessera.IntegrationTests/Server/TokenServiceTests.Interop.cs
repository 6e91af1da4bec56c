// Resource servers that know nothing of Tessera validate its tokens from the live endpoints:
// panva/jose through createRemoteJWKSet over HTTPS, and ASP.NET Core's stock JwtBearer through
// discovery (ResourceServer.cs).
using System.Text.Json;
using Tessera.Tests.Interop;

namespace Tessera.IntegrationTests.Server;

public sealed partial class TokenServiceTests
{
    [Fact]
    public async Task Jose_RemoteJwks_VerifiesLiveToken_AndRefusesTamperedOne()
    {
        string token = await server.TokenAsync("svc");
        string tampered = Tamper.Payload(token, "\"sub\":\"svc\"", "\"sub\":\"admin\"");

        IReadOnlyList<JsonElement> verdicts = Checks.JoseRemoteVerify(server, "api", token, tampered);

        Assert.True(verdicts[0].GetProperty("valid").GetBoolean(), "jose refused the token: " + verdicts[0]);
        Assert.Equal(Jwt.Kid(token), verdicts[0].GetProperty("header").GetProperty("kid").GetString());
        Assert.Equal("svc", verdicts[0].GetProperty("payload").GetProperty("sub").GetString());
        Assert.False(verdicts[1].GetProperty("valid").GetBoolean());
        Assert.Equal("ERR_JWS_SIGNATURE_VERIFICATION_FAILED", verdicts[1].GetProperty("code").GetString());
    }

    [Fact]
    public Task JwtBearer_StockMiddleware_AcceptsEs256Token_ThroughDiscovery_AndRefusesTampered() =>
        ResourceServer.AssertAcceptsAndRefusesTampered(server, "ES256");
}
