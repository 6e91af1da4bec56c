// docs/SPEC.md §6: issuance only from issuance.allowed_cidrs (else 403 and a request_denied event); the
// client address comes from X-Forwarded-For only when the TCP peer is a trusted proxy.
// X-Forwarded-For values here are strings in a header: no traffic leaves loopback.
using System.Net;
using System.Text.Json;

namespace Tessera.IntegrationTests.Server;

public sealed class InternalNetworkOnlyTests(InternalOnlyServer server) : IClassFixture<InternalOnlyServer>
{
    [Fact]
    public async Task Token_FromLoopbackOutsideAllowedCidrs_Is403AccessDenied_AndLogged()
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc");

        Checks.OAuthError(reply, HttpStatusCode.Forbidden, "access_denied");
        JsonElement denied = server.SecurityLogEvents().Last(e => e.GetProperty("event").GetString() == "request_denied");
        Assert.Equal("/token", denied.GetProperty("endpoint").GetString());
        Assert.Equal("127.0.0.1", denied.GetProperty("address").GetString());
        Assert.DoesNotContain(server.SecurityLogEvents(), e => e.GetProperty("event").GetString() == "token_issued");
    }

    [Fact]
    public async Task Token_SpoofedForwardedForFromUntrustedPeer_IsIgnored()
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc",
            adjust: r => r.Headers.Add("X-Forwarded-For", "10.1.2.3"));

        Checks.OAuthError(reply, HttpStatusCode.Forbidden, "access_denied");
        IReadOnlyList<JsonElement> events = server.SecurityLogEvents();
        Assert.Equal("127.0.0.1", events.Last(e => e.GetProperty("event").GetString() == "request_denied").GetProperty("address").GetString());
        Assert.DoesNotContain("10.1.2.3", server.SecurityLogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwks_And_Discovery_StayReachableFromOutsideIssuanceCidrs()
    {
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/.well-known/jwks.json")).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/.well-known/openid-configuration")).Status);
    }

    [Fact]
    public async Task Metrics_FromOutsideIssuanceCidrs_Is403()
    {
        Reply metrics = await server.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Forbidden, metrics.Status);
        Assert.DoesNotContain("tessera_", metrics.Body, StringComparison.Ordinal);
    }
}

public sealed class TrustedProxyTests(BehindProxyServer server) : IClassFixture<BehindProxyServer>
{
    [Fact]
    public async Task Token_ForwardedForFromTrustedProxy_IsHonoured()
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc",
            adjust: r => r.Headers.Add("X-Forwarded-For", "10.1.2.3"));

        string token = Checks.TokenResponse(reply);
        JsonElement issued = server.SecurityLogEvents().Last(e => e.GetProperty("event").GetString() == "token_issued");
        Assert.Equal("10.1.2.3", issued.GetProperty("address").GetString());
        Assert.Equal(Jwt.Payload(token).GetProperty("jti").GetString(), issued.GetProperty("jti").GetString());
    }

    [Fact]
    public async Task Token_ForwardedForOutsideAllowedCidrs_FromTrustedProxy_Is403()
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc",
            adjust: r => r.Headers.Add("X-Forwarded-For", "192.168.7.7"));

        Checks.OAuthError(reply, HttpStatusCode.Forbidden, "access_denied");
        Assert.Equal("192.168.7.7", server.SecurityLogEvents().Last(e => e.GetProperty("event").GetString() == "request_denied").GetProperty("address").GetString());
    }

    [Fact]
    public async Task Token_FromTrustedProxyWithoutForwardedFor_IsJudgedByThePeer_403()
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc");

        Checks.OAuthError(reply, HttpStatusCode.Forbidden, "access_denied");
    }

    [Fact]
    public async Task Token_AllowedAddressPrependedByClient_IsNotTheOneJudged()
    {
        // The client wrote "10.9.9.9" itself; the proxy appended the real peer, 192.168.7.7.
        // Read right to left, the first untrusted hop is 192.168.7.7.
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc",
            adjust: r => r.Headers.Add("X-Forwarded-For", "10.9.9.9, 192.168.7.7"));

        Checks.OAuthError(reply, HttpStatusCode.Forbidden, "access_denied");
    }
}
