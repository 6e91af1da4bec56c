// docs/SPEC.md §9, AddTesseraBearer, against a real `tessera serve` over TLS: discovery from the
// Authority alone, EdDSA (which stock JwtBearer cannot verify), RFC 6750 challenges with the
// canonical messages of §2, scope policies with 403 insufficient_scope, claims on HttpContext.User.
using System.Net;
using System.Text.Json;
using Tessera.IntegrationTests.Server;
using Tessera.Tests.Interop;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class TesseraBearerTests(EdDsaServer server) : IClassFixture<EdDsaServer>
{
    [Fact]
    public async Task EdDsaToken_FromTheTokenService_IsAccepted_WithItsClaimsOnTheUser()
    {
        await using TesseraApi api = await Api();
        string token = await server.TokenAsync("svc");

        (HttpStatusCode status, string body, _) = await api.GetAsync("/data", token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hello svc via svc scope read write", body);
    }

    [Fact]
    public async Task TamperedSignature_Is401_WithTheCanonicalChallenge()
    {
        await using TesseraApi api = await Api();
        string token = Tamper.SignatureBit(await server.TokenAsync("svc"));

        (HttpStatusCode status, string body, string? challenge) = await api.GetAsync("/data", token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("", body);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Signature verification failed\"", challenge);
    }

    [Fact]
    public async Task AlgNone_Is401_InvalidAlgorithm()
    {
        await using TesseraApi api = await Api();
        string[] parts = (await server.TokenAsync("svc")).Split('.');
        string none = Tokens.B64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + ".";

        (HttpStatusCode status, _, string? challenge) = await api.GetAsync("/data", none);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Invalid algorithm\"", challenge);
    }

    [Fact]
    public async Task WrongAudience_Is401_InvalidAudience()
    {
        await using TesseraApi api = await Api(audience: "billing");

        (HttpStatusCode status, _, string? challenge) = await api.GetAsync("/data", await server.TokenAsync("svc"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Invalid audience\"", challenge);
    }

    [Fact]
    public async Task NoToken_Is401_WithBareBearerChallenge_AndAnotherScheme_CountsAsNoToken()
    {
        await using TesseraApi api = await Api();

        (HttpStatusCode status, _, string? challenge) = await api.GetAsync("/data", null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer", challenge);

        using var http = new HttpClient { BaseAddress = api.Address };
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/data");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic c3ZjOnNlY3JldA==");
        using HttpResponseMessage response = await http.SendAsync(basic);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", string.Join(", ", response.Headers.GetValues("WWW-Authenticate")));
    }

    [Fact]
    public async Task ABearerHeaderThatCannotHoldAToken_Is401_Malformed()
    {
        await using TesseraApi api = await Api();

        (HttpStatusCode status, _, string? challenge) = await api.GetAsync("/data", "not a token, with spaces");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Malformed token\"", challenge);
    }

    [Fact]
    public async Task RequireScope_GrantedScopePasses_MissingScopeIs403_InsufficientScope()
    {
        await using TesseraApi api = await Api();
        string token = await server.TokenAsync("svc"); // scopes: read write

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/write", token)).Status);
        (HttpStatusCode status, _, string? challenge) = await api.GetAsync("/admin", token);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"Insufficient scope\", scope=\"admin\"", challenge);

        // A client granted only "read" may not write.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/write", await server.TokenAsync("other"))).Status);
    }

    [Fact]
    public async Task OptionsFromConfigurationAlone_AuthorityAndAudience_AreEnough()
    {
        await using TesseraApi api = await TesseraApi.StartFromConfigurationAsync(new Dictionary<string, string?>
        {
            ["Authentication:Schemes:TesseraBearer:Authority"] = server.Issuer,
            ["Authentication:Schemes:TesseraBearer:Audience"] = "api",
            ["Authentication:Schemes:TesseraBearer:BackchannelCaFile"] = server.CertPath,
        });

        (HttpStatusCode status, string body, _) = await api.GetAsync("/data", await server.TokenAsync("svc"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("hello svc", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssuerUnreachable_BeforeAnyKeys_Is503_NeverA401OrA200()
    {
        int closed = TokenServer.FreePort();
        await using TesseraApi api = await TesseraApi.StartAsync(o =>
        {
            o.Authority = $"https://127.0.0.1:{closed}";
            o.Audience = "api";
        });

        (HttpStatusCode status, _, _) = await api.GetAsync("/data", await server.TokenAsync("svc"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
    }

    [Fact]
    public async Task IssuerDown_TwentyRequests_CostOneDiscoveryFetch_NotOneEach()
    {
        await using IssuerDouble issuer = await IssuerDouble.StartAsync();
        issuer.Down = true;
        await using TesseraApi api = await TesseraApi.StartAsync(o =>
        {
            o.Authority = issuer.Origin;
            o.Audience = "api";
            o.BackchannelCa = issuer.Certificate;
        });
        string token = await server.TokenAsync("svc");

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await api.GetAsync("/data", token)).Status);
        }

        Assert.Equal(1, issuer.Requests);
    }

    private Task<TesseraApi> Api(string audience = "api") => TesseraApi.StartAsync(o =>
    {
        o.Authority = server.Issuer;
        o.Audience = audience;
        o.BackchannelCaFile = server.CertPath;
    });
}
