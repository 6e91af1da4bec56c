using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Validation;

/// <summary>
/// docs/SPEC.md §2: the verified-token cache. A repeat token is answered from the remembered
/// verification (steps 1–4 skipped, 5–7 run again); the cache holds at most
/// <see cref="ValidationOptions.CacheSize"/> entries; an entry leaves when its token is found
/// expired and when its key leaves the key set.
///
/// How a cache hit is seen from outside: a repeat answered from the cache carries the very
/// <see cref="TokenClaims"/> object remembered at the first validation, while a token verified
/// again gets a new one (the pipeline builds a new TokenClaims for every token it verifies).
/// So <see cref="Assert.Same"/> on the claims says "served from the cache" and
/// <see cref="Assert.NotSame"/> says "verified again". With the cache switched off, every
/// <c>Same</c> below fails. The cache's size is read from <see cref="VerifiedTokenCache.Count"/>
/// on an instance made directly.
///
/// (Swapping in a key set where the same kid maps to other material cannot show a hit: the cache
/// trusts an entry only while its own key object is in the set, so that swap forgets the entry,
/// as docs/ATTACKS.md D26 requires.)
/// </summary>
public sealed class CacheTests
{
    private sealed class DenyList : IRevocationList
    {
        public HashSet<string> Revoked { get; } = [];

        public bool IsRevoked(string jti) => Revoked.Contains(jti);
    }

    // ---- a repeat is served from the cache, and steps 5–7 still run ----------------------------

    [Fact]
    public void RepeatToken_IsServedFromTheCache_NotVerifiedAgain()
    {
        JwsKey key = TestKeys.For("ES256");
        TokenValidator validator = Validators.For(key);
        string token = Tokens.Valid(key);

        ValidationResult first = validator.Validate(token);
        ValidationResult repeat = validator.Validate(token);
        ValidationResult repeatAsSpan = validator.Validate(token.AsSpan());

        Assert.True(first.IsValid);
        Assert.True(repeat.IsValid);
        Assert.Same(first.Claims, repeat.Claims);
        Assert.Same(first.Claims, repeatAsSpan.Claims);
        Assert.Same(key, repeat.Key);
    }

    [Fact]
    public void SameTokenWithCacheOff_IsVerifiedAgainEveryTime()
    {
        // The control for the observation above: without a cache the claims are never the same object.
        JwsKey key = TestKeys.For("ES256");
        TokenValidator validator = Validators.For(key, cacheSize: 0);
        string token = Tokens.Valid(key);

        ValidationResult first = validator.Validate(token);
        ValidationResult again = validator.Validate(token);

        Assert.True(again.IsValid);
        Assert.NotSame(first.Claims, again.Claims);
    }

    [Fact]
    public void RepeatToken_ServedFromTheCache_IsStillCheckedForRevocation()
    {
        JwsKey key = TestKeys.For("ES256");
        var deny = new DenyList();
        TokenValidator validator = Validators.For(key, revocations: deny);
        string token = Tokens.Valid(key);
        ValidationResult first = validator.Validate(token);
        Assert.True(first.IsValid);

        deny.Revoked.Add(first.Claims!.JwtId!);
        ValidationResult repeat = validator.Validate(token);

        Assert.Equal(ValidationError.Revoked, repeat.Error);
        Assert.Same(first.Claims, repeat.Claims);
    }

    [Fact]
    public void RepeatToken_ServedFromTheCache_IsStillCheckedForNotBeforeAndExpiry_AsTheClockMoves()
    {
        JwsKey key = TestKeys.For("HS256");
        var clock = new FakeClock(Tokens.Now);
        TokenValidator validator = Validators.For(key, clock);
        string token = Tokens.Sign(key, Tokens.Header(key), Tokens.Claims($"\"nbf\":{Tokens.Now - 10}"));
        ValidationResult first = validator.Validate(token);
        Assert.True(first.IsValid);

        clock.Now = Tokens.Now - 100; // the clock is stepped back (e.g. NTP correction)
        ValidationResult early = validator.Validate(token);
        Assert.Equal(ValidationError.NotYetValid, early.Error);
        Assert.Same(first.Claims, early.Claims);

        clock.Now = Tokens.Now + 330;
        ValidationResult late = validator.Validate(token);
        Assert.Equal(ValidationError.Expired, late.Error);
        Assert.Same(first.Claims, late.Claims);
    }

    [Fact]
    public void RefusedToken_IsNotRemembered_ButRememberedOnceItIsAccepted()
    {
        JwsKey key = TestKeys.For("HS256");
        var clock = new FakeClock(Tokens.Now);
        TokenValidator validator = Validators.For(key, clock);
        string future = Tokens.Sign(key, Tokens.Header(key), Tokens.Claims($"\"nbf\":{Tokens.Now + 100}"));
        ValidationResult refused = validator.Validate(future);
        Assert.Equal(ValidationError.NotYetValid, refused.Error);

        clock.Now += 100;
        ValidationResult accepted = validator.Validate(future);
        ValidationResult repeat = validator.Validate(future);

        Assert.True(accepted.IsValid);
        Assert.NotSame(refused.Claims, accepted.Claims);
        Assert.Same(accepted.Claims, repeat.Claims);
    }

    // ---- an entry leaves at exp -----------------------------------------------------------------

    [Fact]
    public void RepeatAfterExp_IsExpired_AndTheEntryIsGone()
    {
        JwsKey key = TestKeys.For("HS256");
        var clock = new FakeClock(Tokens.Now);
        TokenValidator validator = Validators.For(key, clock);
        string token = Tokens.Valid(key); // exp = Now + 300, skew 30 s
        ValidationResult first = validator.Validate(token);
        Assert.Same(first.Claims, validator.Validate(token).Claims);

        clock.Now = Tokens.Now + 331;
        Assert.Equal(ValidationError.Expired, validator.Validate(token).Error);

        // Were the entry still there, stepping the clock back would be answered from it.
        clock.Now = Tokens.Now;
        ValidationResult afterwards = validator.Validate(token);
        Assert.True(afterwards.IsValid);
        Assert.NotSame(first.Claims, afterwards.Claims);
    }

    [Fact]
    public void FullCache_DropsItsExpiredEntries_ToAdmitANewToken()
    {
        var cache = new VerifiedTokenCache(2);
        (string a, TokenClaims claimsA) = Verified(TestKeys.For("HS256"));
        (string b, TokenClaims claimsB) = Verified(TestKeys.For("HS256"));
        (string c, TokenClaims claimsC) = Verified(TestKeys.For("HS256"), Tokens.Now + 1000);
        cache.Add(a, a, claimsA, Tokens.Now);
        cache.Add(b, b, claimsB, Tokens.Now);
        Assert.Equal(2, cache.Count);

        cache.Add(c, c, claimsC, Tokens.Now + 300); // a and b have exp = Now + 300: expired now

        Assert.Equal(1, cache.Count);
        Assert.False(cache.TryGet(a, out _));
        Assert.False(cache.TryGet(b, out _));
        Assert.True(cache.TryGet(c, out TokenClaims? found));
        Assert.Same(claimsC, found);
    }

    [Fact]
    public void Sweep_DropsExactlyTheEntriesWhoseExpHasPassed()
    {
        var cache = new VerifiedTokenCache(10);
        (string early, TokenClaims earlyClaims) = Verified(TestKeys.For("HS256"));
        (string late, TokenClaims lateClaims) = Verified(TestKeys.For("HS256"), Tokens.Now + 600);
        cache.Add(early, early, earlyClaims, Tokens.Now);
        cache.Add(late, late, lateClaims, Tokens.Now);

        cache.Sweep(Tokens.Now + 299);
        Assert.Equal(2, cache.Count);

        cache.Sweep(Tokens.Now + 300);
        Assert.Equal(1, cache.Count);
        Assert.False(cache.TryGet(early, out _));
        Assert.True(cache.TryGet(late, out _));
    }

    // ---- an entry leaves when its key leaves the key set ----------------------------------------

    [Fact]
    public void RepeatToken_IsForgotten_WhenItsKeyLeavesTheKeySet()
    {
        JwsKey oldKey = JwsKey.Generate(JwsAlgorithm.EdDSA);
        JwsKey newKey = JwsKey.Generate(JwsAlgorithm.EdDSA);
        TokenValidator validator = Validators.For(new KeySet([oldKey, newKey]));
        string token = Tokens.Valid(oldKey);
        ValidationResult first = validator.Validate(token);
        Assert.Same(first.Claims, validator.Validate(token).Claims);

        validator.UpdateKeys(new KeySet([newKey]));

        Assert.Equal(ValidationError.UnknownKey, validator.Validate(token).Error);
    }

    [Fact]
    public void UpdateKeys_SweepsTheEntriesOfAKeyThatLeft_AtOnce()
    {
        // The key leaves and comes back before the token is seen again: only the sweep in
        // UpdateKeys can have dropped the entry, so the repeat must be verified again.
        JwsKey oldKey = JwsKey.Generate(JwsAlgorithm.EdDSA);
        JwsKey newKey = JwsKey.Generate(JwsAlgorithm.EdDSA);
        TokenValidator validator = Validators.For(new KeySet([oldKey, newKey]));
        string oldToken = Tokens.Valid(oldKey);
        string newToken = Tokens.Valid(newKey);
        ValidationResult oldFirst = validator.Validate(oldToken);
        ValidationResult newFirst = validator.Validate(newToken);

        validator.UpdateKeys(new KeySet([newKey]));
        validator.UpdateKeys(new KeySet([oldKey, newKey]));
        ValidationResult oldAgain = validator.Validate(oldToken);
        ValidationResult newAgain = validator.Validate(newToken);

        Assert.True(oldAgain.IsValid);
        Assert.NotSame(oldFirst.Claims, oldAgain.Claims);
        Assert.Same(newFirst.Claims, newAgain.Claims);
    }

    [Fact]
    public void RepeatToken_IsStillServedFromTheCache_AfterAnUnrelatedKeySetReload()
    {
        JwsKey key = JwsKey.Generate(JwsAlgorithm.EdDSA);
        JwsKey other = JwsKey.Generate(JwsAlgorithm.EdDSA);
        TokenValidator validator = Validators.For(new KeySet([key]));
        string token = Tokens.Valid(key);
        ValidationResult first = validator.Validate(token);
        Assert.True(first.IsValid);

        validator.UpdateKeys(new KeySet([key, other]));
        ValidationResult repeat = validator.Validate(token);

        Assert.True(repeat.IsValid);
        Assert.Same(first.Claims, repeat.Claims);
    }

    [Fact]
    public void Sweep_DropsExactlyTheEntriesWhoseKeyIsNotKept()
    {
        JwsKey kept = JwsKey.Generate(JwsAlgorithm.EdDSA);
        JwsKey dropped = JwsKey.Generate(JwsAlgorithm.EdDSA);
        var cache = new VerifiedTokenCache(10);
        (string a, TokenClaims claimsA) = Verified(kept);
        (string b, TokenClaims claimsB) = Verified(dropped);
        cache.Add(a, a, claimsA, Tokens.Now);
        cache.Add(b, b, claimsB, Tokens.Now);

        cache.Sweep(Tokens.Now, claims => claims.Key == kept);

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(a, out _));
        Assert.False(cache.TryGet(b, out _));
    }

    // ---- the cache is bounded -------------------------------------------------------------------

    [Fact]
    public void CacheCount_NeverExceedsItsCapacity_AsMoreTokensArrive()
    {
        const int Capacity = 4;
        var cache = new VerifiedTokenCache(Capacity);
        var tokens = new List<string>();
        for (int i = 0; i < 3 * Capacity; i++)
        {
            (string token, TokenClaims claims) = Verified(TestKeys.For("HS256"));
            tokens.Add(token);
            cache.Add(token, token, claims, Tokens.Now);
            Assert.InRange(cache.Count, 0, Capacity);
        }

        Assert.Equal(Capacity, cache.Count);
        Assert.Equal(Capacity, tokens.Count(t => cache.TryGet(t, out _)));
    }

    [Fact]
    public void FullCache_ServesAtMostItsCapacityFromMemory_AndVerifiesTheRestCorrectly()
    {
        const int Capacity = 4;
        JwsKey key = TestKeys.For("HS256");
        TokenValidator validator = Validators.For(key, cacheSize: Capacity);
        var tokens = Enumerable.Range(0, 10).Select(_ => Tokens.Valid(key)).ToList();
        var first = tokens.Select(t => validator.Validate(t)).ToList();
        Assert.All(first, r => Assert.True(r.IsValid));

        var second = tokens.Select(t => validator.Validate(t)).ToList();

        Assert.All(second, r => Assert.True(r.IsValid));
        int served = Enumerable.Range(0, tokens.Count).Count(i => ReferenceEquals(first[i].Claims, second[i].Claims));
        Assert.Equal(Capacity, served);

        // Full, the validator still refuses what it must.
        string forged = tokens[^1][..^2] + (tokens[^1][^2] == 'A' ? "B" : "A") + tokens[^1][^1];
        Assert.Equal(ValidationError.InvalidSignature, validator.Validate(forged).Error);
    }

    /// <summary>A token verified by a validator without a cache, and its claims (exp = <paramref name="exp"/>).</summary>
    private static (string Token, TokenClaims Claims) Verified(JwsKey key, long exp = Tokens.Now + 300)
    {
        string token = Tokens.Sign(key, Tokens.Header(key), Tokens.Claims().Replace($"\"exp\":{Tokens.Now + 300}", $"\"exp\":{exp}", StringComparison.Ordinal));
        ValidationResult result = Validators.For(new KeySet([key]), cacheSize: 0).Validate(token);
        Assert.True(result.IsValid, result.Code);
        return (token, result.Claims!);
    }
}
