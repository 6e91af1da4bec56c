using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Validation;

/// <summary>docs/SPEC.md §2: a repeat token skips steps 1–4 but never 5–7.</summary>
public sealed class CacheTests
{
    private sealed class DenyList : IRevocationList
    {
        public HashSet<string> Revoked { get; } = [];

        public bool IsRevoked(string jti) => Revoked.Contains(jti);
    }

    [Fact]
    public void RepeatToken_IsStillCheckedForRevocation()
    {
        JwsKey key = TestKeys.For("ES256");
        var deny = new DenyList();
        TokenValidator validator = Validators.For(key, revocations: deny);
        string token = Tokens.Valid(key);
        ValidationResult first = validator.Validate(token);
        Assert.True(first.IsValid);
        deny.Revoked.Add(first.Claims!.JwtId!);
        Assert.Equal(ValidationError.Revoked, validator.Validate(token).Error);
    }

    [Fact]
    public void RepeatToken_IsStillCheckedForNotBeforeAndExpiry_AsTheClockMoves()
    {
        JwsKey key = TestKeys.For("HS256");
        var clock = new FakeClock(Tokens.Now);
        TokenValidator validator = Validators.For(key, clock);
        string token = Tokens.Sign(key, Tokens.Header(key), Tokens.Claims($"\"nbf\":{Tokens.Now - 10}"));
        Assert.True(validator.Validate(token).IsValid);
        clock.Now = Tokens.Now - 100; // the clock is stepped back (e.g. NTP correction)
        Assert.Equal(ValidationError.NotYetValid, validator.Validate(token).Error);
        clock.Now = Tokens.Now + 330;
        Assert.Equal(ValidationError.Expired, validator.Validate(token).Error);
    }

    [Fact]
    public void RepeatToken_IsForgotten_WhenItsKeyLeavesTheKeySet()
    {
        JwsKey oldKey = JwsKey.Generate(JwsAlgorithm.EdDSA);
        JwsKey newKey = JwsKey.Generate(JwsAlgorithm.EdDSA);
        TokenValidator validator = Validators.For(new KeySet([oldKey, newKey]));
        string token = Tokens.Valid(oldKey);
        Assert.True(validator.Validate(token).IsValid);
        validator.UpdateKeys(new KeySet([newKey]));
        Assert.Equal(ValidationError.UnknownKey, validator.Validate(token).Error);
    }

    [Fact]
    public void RepeatToken_StillValid_AfterAnUnrelatedKeySetReload()
    {
        JwsKey key = JwsKey.Generate(JwsAlgorithm.EdDSA);
        JwsKey other = JwsKey.Generate(JwsAlgorithm.EdDSA);
        TokenValidator validator = Validators.For(new KeySet([key]));
        string token = Tokens.Valid(key);
        Assert.True(validator.Validate(token).IsValid);
        validator.UpdateKeys(new KeySet([key, other]));
        Assert.True(validator.Validate(token).IsValid);
    }

    [Fact]
    public void Cache_IsBounded_AndStillAnswersCorrectlyWhenFull()
    {
        JwsKey key = TestKeys.For("HS256");
        TokenValidator validator = Validators.For(key, cacheSize: 4);
        var tokens = Enumerable.Range(0, 10).Select(_ => Tokens.Valid(key)).ToList();
        foreach (string token in tokens)
        {
            Assert.True(validator.Validate(token).IsValid);
        }

        foreach (string token in tokens)
        {
            Assert.True(validator.Validate(token).IsValid);
        }
    }

    [Fact]
    public void RefusedToken_IsNotRemembered()
    {
        JwsKey key = TestKeys.For("HS256");
        var clock = new FakeClock(Tokens.Now);
        TokenValidator validator = Validators.For(key, clock);
        string future = Tokens.Sign(key, Tokens.Header(key), Tokens.Claims($"\"nbf\":{Tokens.Now + 100}"));
        Assert.Equal(ValidationError.NotYetValid, validator.Validate(future).Error);
        clock.Now += 100;
        Assert.True(validator.Validate(future).IsValid);
    }
}
