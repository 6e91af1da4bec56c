// GET /.well-known/jwks.json (RFC 7517, HTTP caching per RFC 9111/9110) and discovery
// (OIDC Discovery §3, RFC 8414 §2).
using System.Net;
using System.Text.Json;

namespace Tessera.IntegrationTests.Server;

public sealed partial class TokenServiceTests
{
    [Fact]
    public async Task Jwks_HasMaxAgeAndETag_AndAnswers304ToIfNoneMatch()
    {
        Reply jwks = await server.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, jwks.Status);
        Assert.Matches(@"(^|,\s*)max-age=[1-9][0-9]*($|,)", jwks.Header("Cache-Control"));
        Assert.StartsWith("application/jwk-set+json", jwks.Header("Content-Type"), StringComparison.Ordinal);
        string etag = jwks.Header("ETag") ?? throw new Xunit.Sdk.XunitException("no ETag");
        Assert.Matches("^\"[^\"]+\"$", etag);
        JsonElement[] keys = [.. jwks.Json.GetProperty("keys").EnumerateArray()];
        Assert.Equal(2, keys.Length); // the active key and the next one, published ahead
        Assert.All(keys, k =>
        {
            Assert.Equal("EC", k.GetProperty("kty").GetString());
            Assert.Equal("ES256", k.GetProperty("alg").GetString());
            Assert.Equal("sig", k.GetProperty("use").GetString());
            Assert.False(k.TryGetProperty("d", out _), "a private member in the JWKS");
        });

        Reply notModified = await server.GetAsync("/.well-known/jwks.json", r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.Status);
        Assert.Equal("", notModified.Body);
        Assert.Equal(etag, notModified.Header("ETag"));

        Reply changed = await server.GetAsync("/.well-known/jwks.json", r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"something-else\""));
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(jwks.Body, changed.Body);
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Discovery_NamesIssuerJwksUriAndTokenEndpoint(string path)
    {
        Reply reply = await server.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        JsonElement doc = reply.Json;
        Assert.Equal(server.Issuer, doc.GetProperty("issuer").GetString());
        Assert.Equal(server.JwksUri, doc.GetProperty("jwks_uri").GetString());
        Assert.Equal(server.Issuer + "/token", doc.GetProperty("token_endpoint").GetString());
        Assert.Equal(server.Issuer + "/revoke", doc.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(server.Issuer + "/introspect", doc.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(["client_credentials"], doc.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            ["client_secret_basic", "client_secret_post", "private_key_jwt"],
            doc.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));

        Reply jwks = await server.GetAsync(new Uri(doc.GetProperty("jwks_uri").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, jwks.Status);
    }

    [Fact]
    public async Task Health_Readiness_And_Metrics_Answer()
    {
        Reply health = await server.GetAsync("/healthz");
        Reply ready = await server.GetAsync("/readyz");
        await server.TokenAsync("svc");
        Reply metrics = await server.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("ok\n", health.Body);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("ready\n", ready.Body);
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Matches(@"(?m)^tessera_tokens_issued_total\{[^}]*\} [1-9][0-9]*$", metrics.Body);
    }
}
