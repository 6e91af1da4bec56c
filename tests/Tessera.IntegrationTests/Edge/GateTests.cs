// `tessera gate` as a process (docs/SPEC.md §9) in front of a real `tessera serve`: keys from the
// issuer's JWKS over TLS, the answers of §9, readiness that follows the keys, health paths that a
// proxied request cannot reach, and configuration errors that name the key.
using System.Net;
using System.Text.Json.Nodes;
using Tessera.IntegrationTests.Server;
using Tessera.Tests.Interop;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class GateTests(MainServer server) : IClassFixture<MainServer>
{
    [Fact]
    public async Task ValidToken_200_WithTheTokensIdentity_RefusedToken_401_WithChallenge()
    {
        using var dir = new TempDir();
        using GateProcess gate = await GateProcess.StartAsync(dir, "gate", server);
        string token = await server.TokenAsync("svc");

        using HttpResponseMessage ok = await SendAsync(gate, "/any/path?x=1", token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("svc", ok.Headers.GetValues("X-Tessera-Subject").Single());
        Assert.Equal("svc", ok.Headers.GetValues("X-Tessera-Client-Id").Single());
        Assert.Equal("read write", ok.Headers.GetValues("X-Tessera-Scope").Single());
        Assert.Equal(Jwt.Payload(token).GetProperty("jti").GetString(), ok.Headers.GetValues("X-Tessera-Jti").Single());

        using HttpResponseMessage refused = await SendAsync(gate, "/any/path", Tamper.SignatureBit(token));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Signature verification failed\"", string.Join(", ", refused.Headers.GetValues("WWW-Authenticate")));
        Assert.False(refused.Headers.Contains("X-Tessera-Subject"));
    }

    [Fact]
    public async Task HealthPaths_AreHealthOnlyForPlainRequests_AProxiedOneIsAnAuthCheck()
    {
        using var dir = new TempDir();
        using GateProcess gate = await GateProcess.StartAsync(dir, "gate", server);

        using HttpResponseMessage ready = await SendAsync(gate, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        // Envoy's ext_authz forwards the client's own path: a client asking for /healthz through
        // a proxy must get an auth answer (401 without a token), never the health 200.
        foreach ((string name, string value) in new[] { ("X-Original-URI", "/healthz"), ("X-Forwarded-For", "192.0.2.7"), ("X-Envoy-Expected-Rq-Timeout-Ms", "200") })
        {
            using HttpResponseMessage proxied = await SendAsync(gate, "/healthz", null, (name, value));
            Assert.Equal(HttpStatusCode.Unauthorized, proxied.StatusCode);
        }

        using HttpResponseMessage upper = await SendAsync(gate, "/HEALTHZ/");
        Assert.Equal(HttpStatusCode.OK, upper.StatusCode);

        using HttpResponseMessage metrics = await SendAsync(gate, "/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("tessera_jwks", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssuerUnreachable_ReadyzIs503_AndEveryAnswerIs503_NeverA401Or200()
    {
        using var dir = new TempDir();
        using GateProcess gate = await GateProcess.StartAsync(dir, "gate", server, jwksUri: $"https://127.0.0.1:{TokenServer.FreePort()}/.well-known/jwks.json", expectKeys: false);

        using HttpResponseMessage ready = await SendAsync(gate, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using HttpResponseMessage answer = await SendAsync(gate, "/x", await server.TokenAsync("svc"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.NotNull(answer.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("jwks", "http://127.0.0.1:9/jwks.json", "gate.jwks")]
    [InlineData("audiences", null, "gate.audiences")]
    [InlineData("listen", "ftp://127.0.0.1:9", "gate.listen")]
    public void ABadGateKey_IsAUsageError_NamingTheKey(string key, string? value, string named)
    {
        using var dir = new TempDir();
        JsonObject config = Config();
        if (value is null)
        {
            ((JsonObject)config["gate"]!).Remove(key);
        }
        else
        {
            config["gate"]![key] = value;
        }

        string path = dir["auth.json"];
        File.WriteAllText(path, config.ToJsonString());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Support.Cli.Outcome run = Support.Cli.Run(["gate", "--config", path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Stderr, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(GateProcess gate, string path, string? token = null, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient { BaseAddress = gate.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await http.SendAsync(request);
    }

    // The gate keys only: no signing_alg (a gate never signs) and no issuer audiences.
    private JsonObject Config() => new()
    {
        ["issuer"] = server.Issuer,
        ["allowed_algs"] = new JsonArray("ES256"),
        ["gate"] = new JsonObject
        {
            ["jwks"] = server.JwksUri,
            ["cacert"] = server.CertPath,
            ["audiences"] = new JsonArray("api"),
        },
    };
}
