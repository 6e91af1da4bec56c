using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Validation;

namespace Tessera.Tests.Support;

/// <summary>Validators with the default policy, a fixed clock and the test issuer and audience.</summary>
public static class Validators
{
    public static TokenValidator For(JwsKey key, FakeClock? clock = null, IRevocationList? revocations = null, int cacheSize = 10_000) =>
        For(new KeySet([key]), clock, revocations, cacheSize);

    public static TokenValidator For(KeySet keys, FakeClock? clock = null, IRevocationList? revocations = null, int cacheSize = 10_000) =>
        new(Options(keys.Algorithms, cacheSize), keys, clock ?? new FakeClock(Tokens.Now), revocations);

    public static ValidationOptions Options(IReadOnlyList<JwsAlgorithm> algorithms, int cacheSize = 10_000) => new()
    {
        Issuer = Tokens.Issuer,
        Audiences = [Tokens.Audience],
        Algorithms = algorithms,
        CacheSize = cacheSize,
    };
}
