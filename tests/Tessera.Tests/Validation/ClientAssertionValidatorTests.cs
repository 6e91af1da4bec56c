using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Revocation.Sqlite;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Validation;

/// <summary>
/// private_key_jwt as a core feature (RFC 7523 §3): the assertion names its client in iss = sub,
/// is addressed to this issuer, lives at most five minutes, is signed by that client's own key,
/// and is accepted once.
/// </summary>
public sealed class ClientAssertionValidatorTests : IDisposable
{
    private const string Client = "meter-gateway";
    private readonly TempDir _dir = new();
    private readonly FakeClock _clock = new(Tokens.Now);
    private readonly SqliteRevocationStore _store;
    private readonly JwsKey _key = TestKeys.For("ES256");
    private readonly JwsKey _otherKey = TestKeys.For("EdDSA");
    private readonly ClientAssertionValidator _validator;

    public ClientAssertionValidatorTests()
    {
        _store = new SqliteRevocationStore(_dir["used.db"], _clock);
        _validator = new ClientAssertionValidator(
            Tokens.Issuer,
            new Dictionary<string, KeySet> { [Client] = new([_key]), ["other"] = new([_otherKey]) },
            _store,
            _clock);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(Tokens.Issuer + "/token")]
    [InlineData(Tokens.Issuer)]
    public void Accepts_AssertionToTheTokenEndpointOrIssuer(string audience)
    {
        ClientAssertionResult result = _validator.Validate(Assertion(aud: audience));
        Assert.True(result.IsValid, result.Failure);
        Assert.Equal(Client, result.ClientId);
    }

    [Fact]
    public void Refuses_TheSameAssertionTwice()
    {
        string assertion = Assertion();
        Assert.True(_validator.Validate(assertion).IsValid);
        ClientAssertionResult again = _validator.Validate(assertion);
        Assert.False(again.IsValid);
        Assert.Contains("replayed", again.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_ReplayAcrossARestart_BecauseUsedJtisAreDurable()
    {
        string assertion = Assertion();
        Assert.True(_validator.Validate(assertion).IsValid);
        using var reopened = new SqliteRevocationStore(_dir["used.db"], _clock);
        var restarted = new ClientAssertionValidator(Tokens.Issuer, new Dictionary<string, KeySet> { [Client] = new([_key]) }, reopened, _clock);
        Assert.False(restarted.Validate(assertion).IsValid);
    }

    [Fact]
    public void Refuses_WhenTheRequestsClientIdDiffersFromIss()
    {
        ClientAssertionResult result = _validator.Validate(Assertion(), clientId: "other");
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Refuses_WhenSubDiffersFromIss()
    {
        Assert.False(_validator.Validate(Assertion(sub: "someone-else")).IsValid);
    }

    [Fact]
    public void Refuses_ExpMoreThanFiveMinutesAhead_EvenWhenTheLifetimeIsShort()
    {
        // iat 30 s ahead (within skew) keeps exp - iat under five minutes: only the exp rule refuses.
        Assert.True(_validator.Validate(Assertion(exp: Tokens.Now + 300, iat: Tokens.Now + 30)).IsValid);
        ClientAssertionResult result = _validator.Validate(Assertion(exp: Tokens.Now + 301, iat: Tokens.Now + 30));
        Assert.Contains("exp is more than 5 minutes ahead", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_AnAssertionForAnotherAudience()
    {
        ClientAssertionResult result = _validator.Validate(Assertion(aud: "https://elsewhere.test/token"));
        Assert.Equal("assertion refused: invalid_audience", result.Failure);
    }

    [Fact]
    public void Refuses_AnAssertionSignedWithAnotherClientsKey()
    {
        string forged = Tokens.Sign(_otherKey, $$"""{"alg":"EdDSA","kid":"{{_key.KeyId}}"}""", Payload());
        Assert.False(_validator.Validate(forged).IsValid);
    }

    [Fact]
    public void Refuses_AnAccessTokenPresentedAsAnAssertion()
    {
        string accessToken = Tokens.Sign(_key, Tokens.Header(_key, "at+jwt"), Payload());
        Assert.Equal("assertion refused: invalid_type", _validator.Validate(accessToken).Failure);
    }

    [Fact]
    public void Refuses_AnUnknownClient()
    {
        ClientAssertionResult result = _validator.Validate(Tokens.Sign(_key, Header(), Payload(iss: "stranger", sub: "stranger")));
        Assert.False(result.IsValid);
        Assert.Equal("stranger", result.ClientId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("a.b.c")]
    public void Refuses_Garbage_WithoutThrowing(string assertion)
    {
        Assert.False(_validator.Validate(assertion).IsValid);
    }

    private string Header() => $$"""{"alg":"{{_key.Algorithm.Name}}","kid":"{{_key.KeyId}}"}""";

    private static string Payload(string iss = Client, string sub = Client, string aud = Tokens.Issuer + "/token", long exp = Tokens.Now + 60, long iat = Tokens.Now) =>
        $$"""{"iss":"{{iss}}","sub":"{{sub}}","aud":"{{aud}}","exp":{{exp}},"iat":{{iat}},"jti":"{{Guid.NewGuid():N}}"}""";

    private string Assertion(string sub = Client, string aud = Tokens.Issuer + "/token", long exp = Tokens.Now + 60, long iat = Tokens.Now) =>
        Tokens.Sign(_key, Header(), Payload(sub: sub, aud: aud, exp: exp, iat: iat));

    [Fact]
    public void UnknownClients_CostASignatureCheck_LikeKnownOnes()
    {
        int before = _validator.DecoyChecks;
        _ = _validator.Validate(Tokens.Sign(_key, Header(), Payload(iss: "stranger", sub: "stranger")));
        _ = _validator.Validate(Assertion(), clientId: "someone-else");
        Assert.Equal(before + 2, _validator.DecoyChecks);

        _ = _validator.Validate(Assertion());
        Assert.Equal(before + 2, _validator.DecoyChecks);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS512")]
    public void Refuses_AClientKeySetWithAnHmacKey(string alg)
    {
        var keys = new Dictionary<string, KeySet> { ["hmac-client"] = new([TestKeys.For(alg)]) };
        var ex = Assert.Throws<ArgumentException>(() => new ClientAssertionValidator(Tokens.Issuer, keys, _store, _clock));
        Assert.Contains("hmac-client", ex.Message, StringComparison.Ordinal);
    }
}
