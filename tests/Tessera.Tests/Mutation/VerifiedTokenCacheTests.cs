using Tessera.Algorithms;
using Tessera.Validation;
using static Tessera.Tests.Attacks.Kit;

namespace Tessera.Tests.Mutation;

/// <summary>
/// The verified-token cache on its own: a bounded count that makes room only by dropping expired
/// entries (exp = now is expired), entries a key-set change no longer keeps, and exact counts.
/// </summary>
public sealed class VerifiedTokenCacheTests
{
    private static readonly JwsKey Es = Key("ES256");

    [Fact]
    public void Add_WhenFull_MakesRoomOnlyByDroppingExpiredEntries()
    {
        var cache = new VerifiedTokenCache(2);
        (string t1, TokenClaims c1) = Verified(Now + 100);
        (string t2, TokenClaims c2) = Verified(Now + 200);
        (string t3, TokenClaims c3) = Verified(Now + 300);
        cache.Add(t1, t1, c1, Now);
        cache.Add(t2, null, c2, Now);
        Assert.Equal(2, cache.Count);

        cache.Add(t3, t3, c3, Now + 99);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet(t3, out _));

        cache.Add(t3, t3, c3, Now + 100);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet(t1, out _));
        Assert.True(cache.TryGet(t2, out TokenClaims? found));
        Assert.Same(c2, found);
        Assert.True(cache.TryGet(t3, out _));
    }

    [Fact]
    public void Count_IsExact_AcrossRepeatsAndRemovals()
    {
        var cache = new VerifiedTokenCache(10);
        (string t1, TokenClaims c1) = Verified(Now + 100);
        cache.Add(t1, t1, c1, Now);
        cache.Add(t1, t1, c1, Now);
        Assert.Equal(1, cache.Count);
        cache.Remove("not remembered");
        Assert.Equal(1, cache.Count);
        cache.Remove(t1);
        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet(t1, out _));
    }

    [Fact]
    public void Sweep_DropsExpiredEntries_AndThoseTheKeySetNoLongerKeeps()
    {
        var cache = new VerifiedTokenCache(10);
        (string t1, TokenClaims c1) = Verified(Now + 100);
        (string t2, TokenClaims c2) = Verified(Now + 200);
        cache.Add(t1, t1, c1, Now);
        cache.Add(t2, t2, c2, Now);

        cache.Sweep(Now, _ => true);
        Assert.Equal(2, cache.Count);
        cache.Sweep(Now + 100);
        Assert.Equal(1, cache.Count);
        Assert.False(cache.TryGet(t1, out _));
        cache.Sweep(Now, _ => false);
        Assert.Equal(0, cache.Count);
    }

    private static (string Token, TokenClaims Claims) Verified(long exp)
    {
        string token = Tok(Es, ("exp", exp.ToString()));
        ValidationResult result = V(Es, cacheSize: 0).Validate(token);
        Assert.True(result.IsValid);
        return (token, result.Claims!);
    }
}
