// private_key_jwt (RFC 7523 §2.2, §3; OIDC Core §9) with assertions made by panva/jose, signed
// with the key registered through `tessera client add --jwks`.
namespace Tessera.IntegrationTests.Server;

public sealed partial class TokenServiceTests
{
    [Fact]
    public async Task PrivateKeyJwt_JoseAssertion_IsAccepted()
    {
        string assertion = server.Assertion("signer");

        Reply reply = await PostAssertion(assertion);

        string token = Checks.TokenResponse(reply);
        Assert.Equal("signer", Jwt.Payload(token).GetProperty("sub").GetString());
        Assert.Equal("signer", Jwt.Payload(token).GetProperty("client_id").GetString());
        Assert.Equal("read", Jwt.Payload(token).GetProperty("scope").GetString());
    }

    [Fact]
    public async Task PrivateKeyJwt_AssertionWithIssuerAsAudience_IsAccepted()
    {
        Reply reply = await PostAssertion(server.Assertion("signer", audience: server.Issuer));

        Checks.TokenResponse(reply);
    }

    [Fact]
    public async Task PrivateKeyJwt_ReplayedAssertion_IsRefused()
    {
        string assertion = server.Assertion("signer");
        Checks.TokenResponse(await PostAssertion(assertion));

        Reply replay = await PostAssertion(assertion);

        Checks.InvalidClient(replay);
    }

    [Fact]
    public async Task PrivateKeyJwt_AssertionExpiringTenMinutesAhead_IsRefused()
    {
        Reply reply = await PostAssertion(server.Assertion("signer", expiresIn: 600));

        Checks.InvalidClient(reply);
    }

    [Fact]
    public async Task PrivateKeyJwt_AssertionSignedByAnotherKeyUnderTheRegisteredKid_IsRefused()
    {
        string otherKeys = server.Dir["impostor"];
        Directory.CreateDirectory(otherKeys);
        string impostorKid = Processes.Node("client-assertion.mjs", ["keygen", "--alg", "ES256", "--out", otherKeys]).Trim();
        string registeredKid = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(server.ClientKeyDir("signer"), "private.jwk.json")))
            .RootElement.GetProperty("kid").GetString()!;
        Assert.NotEqual(registeredKid, impostorKid);

        Reply underRegisteredKid = await PostAssertion(server.Assertion("signer", keyDir: otherKeys, kid: registeredKid));
        Reply underOwnKid = await PostAssertion(server.Assertion("signer", keyDir: otherKeys));

        Checks.InvalidClient(underRegisteredKid);
        Checks.InvalidClient(underOwnKid);
    }

    [Fact]
    public async Task PrivateKeyJwt_AssertionForAnotherAudience_IsRefused()
    {
        Reply reply = await PostAssertion(server.Assertion("signer", audience: "https://elsewhere.example/token"));

        Checks.InvalidClient(reply);
    }

    [Fact]
    public async Task PrivateKeyJwt_ClientIdDifferentFromAssertionIssuer_IsRefused()
    {
        string assertion = server.Assertion("signer");

        Reply reply = await server.PostFormAsync("/token",
        [
            ClientCredentials, ("client_id", "svc"),
            ("client_assertion_type", TokenServer.JwtBearerAssertionType), ("client_assertion", assertion),
        ]);

        Checks.InvalidClient(reply);
    }

    [Fact]
    public async Task PrivateKeyJwt_AssertionForSecretClient_IsRefused()
    {
        // svc has a secret and no keys: an assertion naming it cannot authenticate it.
        string assertion = server.Assertion("svc", keyDir: server.ClientKeyDir("signer"));

        Reply reply = await PostAssertion(assertion);

        Checks.InvalidClient(reply);
    }

    private Task<Reply> PostAssertion(string assertion) =>
        server.PostFormAsync("/token",
        [
            ClientCredentials,
            ("client_assertion_type", TokenServer.JwtBearerAssertionType),
            ("client_assertion", assertion),
        ]);
}
