// The findings of the outside review (issue 8) that live in the token service, one test each,
// against a real `tessera serve` over TLS 1.3. Each failed on the service before its fix.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Server;

public sealed class MetricsGuardTests(InternalOnlyServer server) : IClassFixture<InternalOnlyServer>
{
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/METRICS")]
    [InlineData("/Metrics")]
    [InlineData("/MeTrIcS/")]
    [InlineData("/metrics/")]
    public async Task Metrics_EverySpellingOfThePath_Is403FromOutsideIssuanceCidrs(string path)
    {
        Reply reply = await server.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.DoesNotContain("tessera_", reply.Body, StringComparison.Ordinal);
    }
}

public sealed class ForwardedForStrictnessTests(ProxyOnAllowedNetworkServer server) : IClassFixture<ProxyOnAllowedNetworkServer>
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("10.1.2.3, not-an-address")]
    [InlineData("10.1.2.3:443")]
    public async Task Token_UnparseableRightmostHop_MakesTheClientUnknown_NotTheProxy(string forwarded)
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc",
            adjust: r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", forwarded));

        Checks.OAuthError(reply, HttpStatusCode.Forbidden, "access_denied");
        Assert.Contains(server.SecurityLogEvents(), e => e.GetProperty("event").GetString() == "request_denied"
            && e.GetProperty("address").GetString() == "unknown");
    }

    [Theory]
    [InlineData("012.1.1.1")]   // octal: 10.1.1.1
    [InlineData("0x0a.1.1.1")]  // hex: 10.1.1.1
    [InlineData("167837953")]   // one integer: 10.1.1.1
    [InlineData("10.1")]        // short form: 10.0.0.1
    [InlineData("::FFFF:10.1.1.1")] // not RFC 5952 (upper case)
    public async Task Token_LenientAddressForms_AreNotReadAsTheAllowedNetwork(string forwarded)
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc",
            adjust: r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", forwarded));

        Checks.OAuthError(reply, HttpStatusCode.Forbidden, "access_denied");
    }

    [Theory]
    [InlineData("10.1.1.1")]
    [InlineData("::ffff:10.1.1.1")]
    public async Task Token_CanonicalAddressInAllowedNetwork_IsHonoured(string forwarded)
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc",
            adjust: r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", forwarded));

        Checks.TokenResponse(reply);
    }
}

public sealed class IntrospectionAudienceTests(IntrospectionServer server) : IClassFixture<IntrospectionServer>
{
    [Fact]
    public async Task Introspect_TellsTheTokensOwnClient_AndAClientOfItsAudience()
    {
        string token = await server.TokenAsync("svc");
        Assert.True((await server.IntrospectAsync(token, "svc")).GetProperty("active").GetBoolean());
        JsonElement peer = await server.IntrospectAsync(token, "peer");
        Assert.True(peer.GetProperty("active").GetBoolean());
        Assert.Equal("svc", peer.GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task Introspect_ToAClientOfAnotherAudience_IsInactive_AndSaysNothingElse()
    {
        string token = await server.TokenAsync("svc");
        JsonElement outsider = await server.IntrospectAsync(token, "outsider");
        Assert.Equal(["active"], outsider.EnumerateObject().Select(p => p.Name));
        Assert.False(outsider.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspect_AlgNoneToken_IsInactive_AndLoggedAsInvalidAlgorithm()
    {
        string token = await server.TokenAsync("svc");
        string[] parts = token.Split('.');
        string none = Tokens.B64("""{"alg":"none","typ":"at+jwt"}""") + "." + parts[1] + ".";
        Assert.False((await server.IntrospectAsync(none, "svc")).GetProperty("active").GetBoolean());
        JsonElement refused = server.SecurityLogEvents().Last(e => e.GetProperty("event").GetString() == "token_refused");
        Assert.Equal("invalid_algorithm", refused.GetProperty("code").GetString());
    }
}

public sealed class StrictFormTests(MainServer server) : IClassFixture<MainServer>
{
    [Fact]
    public async Task Token_ParameterSentTwice_IsInvalidRequest()
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials"), ("grant_type", "client_credentials")], "svc");
        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_BodyClientIdOtherThanTheBasicOne_IsInvalidRequest()
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials"), ("client_id", "other")], "svc");
        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_BodyClientIdEqualToTheBasicOne_IsAccepted()
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials"), ("client_id", "svc")], "svc");
        Checks.TokenResponse(reply);
    }

    [Fact]
    public async Task Token_MultipartFormData_IsInvalidRequest()
    {
        using var multipart = new MultipartFormDataContent { { new StringContent("client_credentials"), "grant_type" } };
        Reply reply = await server.SendAsync(HttpMethod.Post, "/token", multipart, "svc");
        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Revoke_ParameterSentTwice_IsInvalidRequest()
    {
        string token = await server.TokenAsync("svc");
        Reply reply = await server.PostFormAsync("/revoke", [("token", token), ("token", token)], "svc");
        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_BodyOverTheLimit_Is413()
    {
        var body = new StringContent("grant_type=client_credentials&pad=" + new string('a', 20 * 1024), Encoding.ASCII);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        Reply reply = await server.SendAsync(HttpMethod.Post, "/token", body, "svc");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
    }

    [Fact]
    public async Task SecurityLog_EscapesBidiControlsInClientSuppliedValues()
    {
        const string Spoof = "admin\u202Egpj.exe";
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials"), ("client_id", Spoof), ("client_secret", "x")]);
        Checks.InvalidClient(reply);

        string log = server.SecurityLogText();
        Assert.DoesNotContain("\u202E", log, StringComparison.Ordinal);
        Assert.Contains("admin\\u202Egpj.exe", log, StringComparison.Ordinal);
        Assert.Contains(server.SecurityLogEvents(), e => e.TryGetProperty("client_id", out JsonElement id) && id.GetString() == Spoof);
    }

    [Fact]
    public async Task PrivateKeyJwt_Hs256AssertionUnderTheClientsKid_IsInvalidClient()
    {
        string genuine = server.Assertion("signer");
        string[] parts = genuine.Split('.');
        string header = Tokens.B64($$"""{"alg":"HS256","kid":"{{Jwt.Kid(genuine)}}"}""");
        byte[] mac = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("public-secret-0123456789abcdef0123"), Encoding.ASCII.GetBytes(header + "." + parts[1]));
        string forged = header + "." + parts[1] + "." + Tokens.B64(mac);

        Reply reply = await server.PostFormAsync("/token",
        [
            ("grant_type", "client_credentials"),
            ("client_assertion_type", TokenServer.JwtBearerAssertionType),
            ("client_assertion", forged),
        ]);
        Checks.InvalidClient(reply);
    }
}

public sealed class AddressRateLimitTests(AddressLimitedServer server) : IClassFixture<AddressLimitedServer>
{
    [Fact]
    public async Task UnauthenticatedRevokeAndIntrospect_AreLimitedPerAddress_BeforeTheyAreLogged()
    {
        int before = server.SecurityLogEvents().Count;
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 30; i++)
        {
            string path = i % 2 == 0 ? "/revoke" : "/introspect";
            statuses.Add((await server.PostFormAsync(path, [("token", "x")], "svc", "wrong-secret")).Status);
        }

        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 25, string.Join(",", statuses));
        Assert.True(statuses.Count(s => s == HttpStatusCode.Unauthorized) <= 5, string.Join(",", statuses));
        int written = server.SecurityLogEvents().Count - before;
        Assert.True(written <= 5 + 10, $"{written} log lines for 30 refused requests");
    }
}

public sealed class RefusalSummaryTests(UnlimitedServer server) : IClassFixture<UnlimitedServer>
{
    [Fact]
    public async Task IdenticalRefusals_AreWrittenTenAMinute_NotOneARequest()
    {
        for (int i = 0; i < 40; i++)
        {
            Checks.InvalidClient(await server.PostFormAsync("/revoke", [("token", "x")], "svc", "wrong-secret"));
        }

        int failures = server.SecurityLogEvents().Count(e => e.GetProperty("event").GetString() == "client_auth_failed"
            && e.GetProperty("endpoint").GetString() == "/revoke");
        Assert.Equal(10, failures);
    }
}
