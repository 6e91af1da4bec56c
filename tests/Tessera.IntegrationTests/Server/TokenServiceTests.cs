// POST /token against the real server over TLS 1.3 (docs/SPEC.md §6; RFC 6749 §4.4, §5.1, §5.2), and the
// TLS policy itself checked with the openssl command-line client.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tessera.Tests.Interop;

namespace Tessera.IntegrationTests.Server;

public sealed partial class TokenServiceTests(MainServer server) : IClassFixture<MainServer>
{
    private static readonly (string, string) ClientCredentials = ("grant_type", "client_credentials");

    // ---- TLS ----

    [Fact]
    public void Tls12_Handshake_IsRefused()
    {
        Processes.Outcome s = SClient("-tls1_2");

        Assert.NotEqual(0, s.ExitCode);
        Assert.Contains("alert protocol version", s.Stderr, StringComparison.Ordinal);
        Assert.Contains("Cipher is (NONE)", s.Stdout, StringComparison.Ordinal);
        Assert.Contains("no peer certificate available", s.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls13_Handshake_IsAccepted_WithTheConfiguredCertificate()
    {
        Processes.Outcome s = SClient("-tls1_3");

        Assert.True(s.ExitCode == 0, "openssl s_client -tls1_3 failed: " + s.Stderr);
        Assert.Contains("New, TLSv1.3, Cipher is TLS_", s.Stdout, StringComparison.Ordinal);
        Assert.Contains("Verify return code: 0 (ok)", s.Stdout, StringComparison.Ordinal);
    }

    // ---- client authentication and the grant ----

    [Fact]
    public async Task Token_ClientSecretBasic_IssuesBearerToken_ThatVerifiesAgainstLiveJwks()
    {
        Reply reply = await server.PostFormAsync("/token", [ClientCredentials], "svc");

        string token = Checks.TokenResponse(reply);
        Assert.Equal("no-cache", reply.Header("Pragma"));
        Assert.Equal("read write", reply.Json.GetProperty("scope").GetString());
        JsonElement header = Jwt.Header(token);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        JsonElement claims = Jwt.Payload(token);
        Assert.Equal(server.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal("svc", claims.GetProperty("sub").GetString());
        Assert.Equal("svc", claims.GetProperty("client_id").GetString());
        Assert.Equal("api", claims.GetProperty("aud").GetString());
        Assert.Equal("read write", claims.GetProperty("scope").GetString());
        Assert.Equal(900, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());

        (int exit, JsonElement answer) = Checks.TesseraVerify(server, token);
        Assert.True(exit == 0, "tessera verify refused the token: " + answer);
        Assert.True(answer.GetProperty("valid").GetBoolean());

        (int tamperedExit, JsonElement tampered) = Checks.TesseraVerify(server, Tamper.Payload(token, "\"read write\"", "\"admin\""));
        Assert.Equal(1, tamperedExit);
        Assert.Equal("invalid_signature", tampered.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_ClientSecretPost_IssuesBearerToken_ThatVerifiesAgainstLiveJwks()
    {
        Reply reply = await server.PostFormAsync("/token", [ClientCredentials, ("client_id", "other"), ("client_secret", server.Secret("other"))]);

        string token = Checks.TokenResponse(reply);
        Assert.Equal("other", Jwt.Payload(token).GetProperty("sub").GetString());
        Assert.Equal("read", Jwt.Payload(token).GetProperty("scope").GetString());
        (int exit, JsonElement answer) = Checks.TesseraVerify(server, token);
        Assert.True(exit == 0, "tessera verify refused the token: " + answer);
    }

    [Fact]
    public async Task Token_GrantsExactlyTheRequestedSubsetOfScopes()
    {
        Reply reply = await server.PostFormAsync("/token", [ClientCredentials, ("scope", "write")], "svc");

        string token = Checks.TokenResponse(reply);
        Assert.Equal("write", reply.Json.GetProperty("scope").GetString());
        Assert.Equal("write", Jwt.Payload(token).GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Token_RefusesScopeNotRegisteredForClient_WithInvalidScope()
    {
        // "write" exists (svc may have it), but not for "other".
        Reply reply = await server.PostFormAsync("/token", [ClientCredentials, ("scope", "read write")], "other");

        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Token_RefusesUnknownScope_WithInvalidScope()
    {
        Reply reply = await server.PostFormAsync("/token", [ClientCredentials, ("scope", "read admin")], "svc");

        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Token_RefusesAudienceNotAllowedForClient_WithInvalidTarget()
    {
        // "billing" is one of the issuer's audiences, but not one svc may ask for.
        Reply reply = await server.PostFormAsync("/token", [ClientCredentials, ("audience", "billing")], "svc");

        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task Token_RefusesWrongSecret_With401InvalidClientAndChallenge()
    {
        Checks.InvalidClient(await server.PostFormAsync("/token", [ClientCredentials], "svc", "not-the-secret"));
        Checks.InvalidClient(await server.PostFormAsync("/token", [ClientCredentials, ("client_id", "svc"), ("client_secret", server.Secret("other"))]));
    }

    [Fact]
    public async Task Token_RefusesUnknownClient_With401InvalidClient()
    {
        Checks.InvalidClient(await server.PostFormAsync("/token", [ClientCredentials], "nobody", server.Secret("svc")));
        Checks.InvalidClient(await server.PostFormAsync("/token", [ClientCredentials, ("client_id", "nobody"), ("client_secret", server.Secret("svc"))]));
    }

    [Fact]
    public async Task Token_RefusesRequestWithoutClientAuthentication_With401()
    {
        Checks.InvalidClient(await server.PostFormAsync("/token", [ClientCredentials, ("client_id", "svc")]));
    }

    [Fact]
    public async Task Token_RefusesMissingGrantType_WithInvalidRequest()
    {
        Reply reply = await server.PostFormAsync("/token", [("scope", "read")], "svc");

        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_RefusesPasswordGrant_WithUnsupportedGrantType()
    {
        Reply reply = await server.PostFormAsync("/token", [("grant_type", "password"), ("username", "u"), ("password", "p")], "svc");

        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task Token_RefusesJsonBody_WithInvalidRequest()
    {
        var json = new StringContent("""{"grant_type":"client_credentials"}""", Encoding.UTF8, "application/json");

        Reply reply = await server.SendAsync(HttpMethod.Post, "/token", json, "svc");

        Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_RefusesBodyOver16KiB_AndServerStaysUp()
    {
        string padding = new('a', 17 * 1024);

        Reply reply = await server.PostFormAsync("/token", [ClientCredentials, ("padding", padding)], "svc");

        Assert.True(reply.Status is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, "expected 413 or 400, got " + reply);
        Assert.DoesNotContain("access_token", reply.Body, StringComparison.Ordinal);
        if (reply.Status == HttpStatusCode.BadRequest)
        {
            Checks.OAuthError(reply, HttpStatusCode.BadRequest, "invalid_request");
        }

        Assert.True(server.IsRunning);
        Reply health = await server.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Checks.TokenResponse(await server.PostFormAsync("/token", [ClientCredentials], "svc"));
    }

    [Fact]
    public async Task Token_RefusesTwoClientAuthenticationMethodsAtOnce_With401()
    {
        Reply reply = await server.PostFormAsync("/token", [ClientCredentials, ("client_id", "svc"), ("client_secret", server.Secret("svc"))], "svc");

        Checks.InvalidClient(reply);
    }

    [Fact]
    public async Task Token_IsServedOverHttp2()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/token", UriKind.Relative))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("svc:" + server.Secret("svc"))));
        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        server.SeenTokens.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!);
    }

    private Processes.Outcome SClient(string version) =>
        Processes.Run("openssl", ["s_client", "-connect", $"127.0.0.1:{server.Port}", version, "-CAfile", server.CertPath, "-servername", "localhost"]);
}
