using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;
using Tessera.Validation;
using static Tessera.Tests.Attacks.Kit;

namespace Tessera.Tests.Mutation;

/// <summary>
/// TokenValidator around its steps: argument checks, the size limit (the limit itself is allowed)
/// and the detail of each step-1 refusal, the JWS-only path, and what the cache remembers, serves
/// and forgets (seen through the identity of the returned claims).
/// </summary>
public sealed class ValidatorEdgeTests
{
    private static readonly JwsKey Es = Key("ES256");

    [Fact]
    public void Validator_RefusesNullArguments()
    {
        ValidationOptions options = Validators.Options([JwsAlgorithm.ES256]);
        Assert.Throws<ArgumentNullException>(() => new TokenValidator(null!, new KeySet([Es])));
        Assert.Throws<ArgumentNullException>(() => new TokenValidator(options, null!));
        Assert.Throws<ArgumentNullException>(() => V(Es).UpdateKeys(null!));
    }

    [Fact]
    public void InvalidOptions_AreListedInOneMessage()
    {
        ValidationOptions options = Validators.Options([JwsAlgorithm.ES256]) with { Issuer = "", CacheSize = -1 };
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new TokenValidator(options, new KeySet([Es])));
        Assert.StartsWith("Invalid validation options: Issuer is required; CacheSize must be between 0 and 1,000,000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step1_Refusals_SayWhatIsWrong()
    {
        TokenValidator v = V(Es);
        string token = Tok(Es);
        string[] s = token.Split('.');
        Assert.Equal("no token", v.Validate((string?)null).Detail);
        Assert.Equal("empty token", v.Validate("").Detail);
        Assert.Equal("token over the size limit", v.Validate(new string('a', 8193)).Detail);
        Assert.Equal("not ASCII", v.Validate(token + "\u00e9").Detail);
        Assert.Equal("not three segments with a header and a payload", v.Validate("." + s[1] + "." + s[2]).Detail);
        Assert.Equal("not canonical base64url", v.Validate(s[0] + "." + s[1] + ".A").Detail);
        Assert.Equal("header is not a valid JOSE header", v.Validate(Tokens.B64("[]") + "." + s[1] + "." + s[2]).Detail);
        Assert.Equal("payload is not a JSON claims set", v.Validate(s[0] + "." + Tokens.B64("[]") + "." + s[2]).Detail);
        Assert.Equal(ValidationError.Malformed, v.Validate(s[0] + "." + s[1] + ".A").Error);
    }

    [Fact]
    public void SizeLimit_AllowsTheLimitItself_ForValidateAndTheJwsLayer()
    {
        string token = Tok(Es);
        TokenValidator exact = V(Es, o => o with { MaxTokenSize = token.Length });
        TokenValidator under = V(Es, o => o with { MaxTokenSize = token.Length - 1 });
        Assert.True(exact.Validate(token).IsValid);
        Assert.Equal(ValidationError.None, exact.VerifyJwsOnly(token));
        Assert.Equal("token over the size limit", under.Validate(token).Detail);
        Assert.Equal(ValidationError.Malformed, under.VerifyJwsOnly(token));
        Assert.Equal(ValidationError.Malformed, exact.VerifyJwsOnly(""));
    }

    [Fact]
    public void KeyBoundToAnotherAlgorithm_IsNamedInTheDetail()
    {
        JwsKey es384 = Key("ES384");
        var keys = new KeySet([es384]);
        TokenValidator v = V(keys, o => o with { Algorithms = [JwsAlgorithm.ES256, JwsAlgorithm.ES384] });
        string token = Sign(Es, $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{es384.KeyId}}"}""", Claims());
        ValidationResult result = v.Validate(token);
        Assert.Equal(ValidationError.InvalidAlgorithm, result.Error);
        Assert.Equal($"key {es384.KeyId} is bound to ES384", result.Detail);
    }

    [Fact]
    public void Kid_Of256Characters_IsLookedUp()
    {
        string kid = new('k', TokenParts.MaxKidLength);
        JwsKey key = JwsKey.ImportJwk(Es.ExportJwk().Replace(Es.KeyId, kid, StringComparison.Ordinal));
        string token = Sign(Es, $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}"}""", Claims());
        Assert.True(V(new KeySet([key])).Validate(token).IsValid);
    }

    [Fact]
    public void Cache_ServesARepeatFromMemory_OnlyWhenOn()
    {
        string token = Tok(Es);
        TokenValidator on = V(Es);
        TokenClaims first = on.Validate(token).Claims!;
        Assert.Same(first, on.Validate(token).Claims);
        Assert.Same(first, on.Validate(token.AsSpan()).Claims);

        TokenValidator off = V(Es, cacheSize: 0);
        Assert.NotSame(off.Validate(token).Claims, off.Validate(token).Claims);
    }

    [Fact]
    public void Cache_KeepsEntriesWhoseKeyStays_AndForgetsThoseWhoseKeyLeft()
    {
        string token = Tok(Es);
        var original = new KeySet([Es]);
        TokenValidator v = V(original);
        TokenClaims first = v.Validate(token).Claims!;

        v.UpdateKeys(new KeySet([Es, Key("ES384")]));
        Assert.Same(first, v.Validate(token).Claims);

        v.UpdateKeys(new KeySet([Key("ES384")]));
        v.UpdateKeys(original);
        ValidationResult again = v.Validate(token);
        Assert.True(again.IsValid);
        Assert.NotSame(first, again.Claims);

        v.UpdateKeys(new KeySet([Key("ES384")]));
        Assert.Equal(ValidationError.UnknownKey, v.Validate(token).Error);
    }

    [Fact]
    public void Cache_ForgetsATokenOnceItIsFoundExpired()
    {
        string token = Tok(Es);
        var clock = new FakeClock(Now);
        TokenValidator v = Validators.For(Es, clock);
        TokenClaims first = v.Validate(token).Claims!;
        clock.Now = Now + 330;
        Assert.Equal(ValidationError.Expired, v.Validate(token).Error);
        clock.Now = Now;
        ValidationResult again = v.Validate(token);
        Assert.True(again.IsValid);
        Assert.NotSame(first, again.Claims);
    }
}
