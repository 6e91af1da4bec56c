using Tessera.Algorithms;
using Tessera.Validation;
using static Tessera.Tests.Attacks.Kit;

namespace Tessera.Tests.Mutation;

/// <summary>
/// Step 6 and the claims reader at their edges: which claim a detail names (the first at fault,
/// in document order), registered claims of the wrong type that are objects, nesting to the
/// reader's depth, 32 audiences, the lifetime measured without iat, and the claims' accessors.
/// </summary>
public sealed class ClaimsEdgeTests
{
    private static readonly JwsKey Hs = Key("HS256");

    [Theory]
    [InlineData("iss", "5")]
    [InlineData("iss", "{\"a\":1}")]
    [InlineData("iss", "[{\"a\":1},{\"a\":1}]")]
    [InlineData("sub", "5")]
    [InlineData("sub", "\"\"")]
    [InlineData("jti", "5")]
    [InlineData("jti", "\"\"")]
    [InlineData("exp", "\"soon\"")]
    [InlineData("nbf", "\"soon\"")]
    [InlineData("iat", "\"soon\"")]
    [InlineData("client_id", "5")]
    [InlineData("scope", "5")]
    [InlineData("aud", "5")]
    [InlineData("aud", "{\"a\":1}")]
    [InlineData("aud", "[5]")]
    [InlineData("aud", "[\"api\",{\"a\":1}]")]
    public void WrongClaimType_IsMalformed_NamingTheClaim(string claim, string raw)
    {
        ValidationResult result = V(Hs).Validate(Tok(Hs, (claim, raw)));
        Assert.Equal(ValidationError.Malformed, result.Error);
        Assert.Equal(claim, result.Detail);
    }

    [Theory]
    [InlineData("sub", "\"\"")]
    [InlineData("exp", "\"soon\"")]
    [InlineData("aud", "5")]
    [InlineData("aud", "[5]")]
    [InlineData("client_id", "5")]
    public void TheFirstWrongClaim_IsTheOneNamed(string later, string raw)
    {
        string payload = "{\"iss\":5," + Claims((later, raw), ("iss", null))[1..];
        Assert.Equal("iss", V(Hs).Validate(Sign(Hs, Header(Hs), payload)).Detail);
        payload = "{\"exp\":\"x\"," + Claims(("exp", null), ("iss", "5"))[1..];
        Assert.Equal("exp", V(Hs).Validate(Sign(Hs, Header(Hs), payload)).Detail);
    }

    [Fact]
    public void Audience_ElementThatIsNotStrictJson_MakesThePayloadMalformed()
    {
        ValidationResult result = V(Hs).Validate(Tok(Hs, ("aud", "[{\"a\":1,\"a\":2}]")));
        Assert.Equal("payload is not a JSON claims set", result.Detail);
    }

    [Fact]
    public void Audiences_UpTo32AreRead_AndA33rdIsMalformed()
    {
        string[] others = [.. Enumerable.Range(0, 31).Select(i => Q("other-" + i))];
        Assert.True(V(Hs).Validate(Tok(Hs, ("aud", "[" + string.Join(",", others) + "," + Q("api") + "]"))).IsValid);
        Assert.Equal(ValidationError.InvalidAudience, V(Hs).Validate(Tok(Hs, ("aud", "[" + string.Join(",", others) + "," + Q("x") + "]"))).Error);
        ValidationResult over = V(Hs).Validate(Tok(Hs, ("aud", "[" + string.Join(",", others) + "," + Q("x") + "," + Q("api") + "]")));
        Assert.Equal(ValidationError.Malformed, over.Error);
        Assert.Equal("aud", over.Detail);
    }

    [Fact]
    public void ClaimNestedToTheReadersDepth_IsRead_AndOneDeeperIsMalformed()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"n\":", depth)) + "1" + new string('}', depth);
        Assert.True(V(Hs).Validate(Tok(Hs, ("x", Nested(31)))).IsValid);
        Assert.Equal(ValidationError.Malformed, V(Hs).Validate(Tok(Hs, ("x", Nested(32)))).Error);
    }

    [Fact]
    public void Lifetime_WithoutIat_CountsFromNbf_ElseFromNow()
    {
        TokenValidator v = V(Hs, o => o with { RequiredClaims = RegisteredClaims.Issuer | RegisteredClaims.Audience | RegisteredClaims.Expiration });
        Assert.True(v.Validate(Tok(Hs, ("iat", null), ("exp", (Now + 3600).ToString()))).IsValid);
        Assert.Equal(ValidationError.LifetimeExceeded, v.Validate(Tok(Hs, ("iat", null), ("exp", (Now + 3601).ToString()))).Error);
        Assert.Equal(ValidationError.LifetimeExceeded, v.Validate(Tok(Hs, ("iat", null), ("nbf", (Now - 100).ToString()), ("exp", (Now + 3501).ToString()))).Error);
        Assert.True(v.Validate(Tok(Hs, ("iat", null), ("nbf", (Now - 100).ToString()), ("exp", (Now + 3500).ToString()))).IsValid);
    }

    [Theory]
    [InlineData("iss", RegisteredClaims.None)]
    [InlineData("aud", RegisteredClaims.None)]
    [InlineData("exp", RegisteredClaims.None)]
    [InlineData("iat", RegisteredClaims.None)]
    [InlineData("jti", RegisteredClaims.None)]
    [InlineData("nbf", RegisteredClaims.NotBefore)]
    public void MissingClaim_NamesTheClaim(string claim, RegisteredClaims alsoRequired)
    {
        TokenValidator v = V(Hs, o => o with { RequiredClaims = RegisteredClaims.Default | alsoRequired });
        ValidationResult result = v.Validate(Tok(Hs, (claim, null)));
        Assert.Equal(ValidationError.MissingClaim, result.Error);
        Assert.Equal(claim, result.Detail);
        Assert.True(v.Validate(Tok(Hs, ("nbf", Now.ToString()))).IsValid);
    }

    [Fact]
    public void IatInTheFuture_SaysSo()
    {
        ValidationResult result = V(Hs).Validate(Tok(Hs, ("iat", (Now + 31).ToString())));
        Assert.Equal(ValidationError.NotYetValid, result.Error);
        Assert.Equal("iat is in the future", result.Detail);
    }

    [Fact]
    public void Claims_ReportWhatThePayloadHolds_AndNullForWhatItLacks()
    {
        string payload = Claims(("nbf", (Now - 5).ToString()), ("client_id", Q("c-1")), ("scope", Q("read write")));
        TokenClaims claims = V(Hs).Validate(Sign(Hs, Header(Hs), payload)).Claims!;
        Assert.Equal(payload, claims.ToJson());
        Assert.Equal(Now - 5, claims.NotBefore);
        Assert.Equal(Now, claims.IssuedAt);
        Assert.Equal(Now + 300, claims.ExpiresAt);
        Assert.Equal("c-1", claims.ClientId);
        Assert.True(claims.HasScope("write"));
        Assert.Throws<ArgumentException>(() => claims.HasScope(""));
        Assert.Throws<ArgumentNullException>(() => claims.HasScope(null!));

        ValidationResult missing = V(Hs).Validate(Tok(Hs, ("exp", null), ("iat", null), ("sub", null)));
        Assert.Equal(ValidationError.MissingClaim, missing.Error);
        TokenClaims partial = missing.Claims!;
        Assert.Null(partial.ExpiresAt);
        Assert.Null(partial.IssuedAt);
        Assert.Null(partial.NotBefore);
        Assert.Null(partial.Subject);
        Assert.Null(partial.ClientId);
        Assert.False(partial.HasScope("read"));
    }
}
