// ASP.NET Core's stock JwtBearer against an RS256 issuer (ES256 is covered by TokenServiceTests).
namespace Tessera.IntegrationTests.Server;

public sealed class JwtBearerRs256Tests(Rs256Server server) : IClassFixture<Rs256Server>
{
    [Fact]
    public Task JwtBearer_StockMiddleware_AcceptsRs256Token_ThroughDiscovery_AndRefusesTampered() =>
        ResourceServer.AssertAcceptsAndRefusesTampered(server, "RS256");

    [Fact]
    public async Task Jose_RemoteJwks_VerifiesLiveRs256Token()
    {
        string token = await server.TokenAsync("svc");

        var verdict = Assert.Single(Checks.JoseRemoteVerify(server, "api", token));

        Assert.True(verdict.GetProperty("valid").GetBoolean(), "jose refused the token: " + verdict);
        Assert.Equal("RS256", verdict.GetProperty("header").GetProperty("alg").GetString());
    }
}
