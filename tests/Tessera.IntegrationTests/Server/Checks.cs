using System.Net;
using System.Text.Json;

namespace Tessera.IntegrationTests.Server;

using Cli = Tessera.IntegrationTests.Support.Cli;

/// <summary>Assertions shared by the server tests.</summary>
public static class Checks
{
    /// <summary>An RFC 6749 §5.2 error: exactly {"error": <paramref name="error"/>, "error_description": "..."} with this status.</summary>
    public static void OAuthError(Reply reply, HttpStatusCode status, string error)
    {
        Assert.True(reply.Status == status, $"expected {(int)status} {error}, got {reply}");
        JsonElement body = reply.Json;
        Assert.Equal(["error", "error_description"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error_description").GetString()));
        Assert.StartsWith("application/json", reply.Header("Content-Type"), StringComparison.Ordinal);
    }

    /// <summary>invalid_client: 401 with a WWW-Authenticate challenge.</summary>
    public static void InvalidClient(Reply reply)
    {
        OAuthError(reply, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic ", reply.Header("WWW-Authenticate"), StringComparison.Ordinal);
    }

    /// <summary>A successful token response (RFC 6749 §5.1): Bearer, expires_in, no-store.</summary>
    public static string TokenResponse(Reply reply, long expiresIn = 900)
    {
        Assert.True(reply.Status == HttpStatusCode.OK, "expected 200, got " + reply);
        JsonElement body = reply.Json;
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(expiresIn, body.GetProperty("expires_in").GetInt64());
        Assert.Equal("no-store", reply.Header("Cache-Control"));
        string token = body.GetProperty("access_token").GetString()!;
        Assert.Equal(3, token.Split('.').Length);
        return token;
    }

    /// <summary><c>tessera verify --jwks LIVE_URL --cacert cert.pem</c>: exit code and its JSON answer.</summary>
    public static (int ExitCode, JsonElement Answer) TesseraVerify(TokenServer server, string token, string audience = "api")
    {
        Cli.Outcome verify = Cli.Run(["verify", token, "--jwks", server.JwksUri, "--cacert", server.CertPath, "--issuer", server.Issuer, "--audience", audience, "--json"]);
        Assert.True(verify.ExitCode is 0 or 1, $"tessera verify exited {verify.ExitCode}: {verify.Stderr}");
        return (verify.ExitCode, JsonDocument.Parse(verify.Stdout).RootElement);
    }

    /// <summary>panva/jose's verdict per token: createRemoteJWKSet(jwks_uri) + jwtVerify over HTTPS, trusting the server's certificate.</summary>
    public static IReadOnlyList<JsonElement> JoseRemoteVerify(TokenServer server, string audience, params string[] tokens)
    {
        string output = Processes.Node(
            "remote-verify.mjs",
            ["--jwks-uri", server.JwksUri, "--issuer", server.Issuer, "--audience", audience, .. tokens],
            new Dictionary<string, string> { ["NODE_EXTRA_CA_CERTS"] = server.CertPath });
        JsonElement[] verdicts = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal(tokens.Length, verdicts.Length);
        return verdicts;
    }
}
