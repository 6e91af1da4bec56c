// What both the validate target and the seed generator share: the fixed clock, the two key sets,
// the two policies and the revocation list. Everything is fixed, so a seed token that is valid
// today stays valid for as long as these constants do.
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Validation;

namespace Tessera.Fuzz;

internal static class Fixture
{
    /// <summary>The instant of every validation and of every seed token: 2030-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string Issuer = "https://auth.fuzz.example";
    public const string Audience = "telemetry";
    public const string OtherAudience = "billing";
    public const string RevokedJti = "revoked-jti-0001";

    public static readonly TimeProvider Clock = new FixedClock(Now);

    /// <summary>The asymmetric private keys (for signing seeds), one per algorithm.</summary>
    public static readonly JwsKey[] AsymmetricSigners = [.. FixedKeys.Asymmetric.Select(j => JwsKey.ImportJwk(j))];

    /// <summary>The HMAC keys (for signing seeds and verifying).</summary>
    public static readonly JwsKey[] HmacSigners = [.. FixedKeys.Hmac.Select(j => JwsKey.ImportJwk(j))];

    /// <summary>The asymmetric key set as a verifier loads it: from the public JWK Set.</summary>
    public static readonly KeySet AsymmetricKeys = KeySet.FromJwks(new KeySet(AsymmetricSigners).ToJwks());

    public static readonly KeySet HmacKeys = new(HmacSigners);

    /// <summary>Access tokens (at+jwt) under every asymmetric algorithm, the default claim rules.</summary>
    public static readonly ValidationOptions AsymmetricOptions = new()
    {
        Issuer = Issuer,
        Audiences = [Audience],
        Algorithms = [.. AsymmetricSigners.Select(k => k.Algorithm)],
        CacheSize = 16,
    };

    /// <summary>Plain JWTs under HMAC: the fewest required claims, no skew, a long lifetime.</summary>
    public static readonly ValidationOptions HmacOptions = new()
    {
        Issuer = Issuer,
        Audiences = [Audience, OtherAudience],
        Algorithms = [JwsAlgorithm.HS256, JwsAlgorithm.HS512],
        Type = JwtTypes.Jwt,
        RequiredClaims = RegisteredClaims.Issuer | RegisteredClaims.Audience | RegisteredClaims.Expiration,
        ClockSkew = TimeSpan.Zero,
        MaxLifetime = TimeSpan.FromDays(1),
        CacheSize = 16,
    };

    public static readonly IRevocationList Revocations = new FixedRevocations();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class FixedRevocations : IRevocationList
    {
        public bool IsRevoked(string jti) => jti == RevokedJti;
    }
}
