using Tessera.Algorithms;
using Tessera.Jose;

namespace Tessera.Validation;

/// <summary>
/// The validation policy: a small immutable record. <see cref="TokenValidator"/> checks it when
/// built and reports every problem at once. Defaults are SPEC.md §2's.
/// </summary>
/// <example><code>
/// var options = new ValidationOptions
/// {
///     Issuer = "https://auth.example",
///     Audiences = ["telemetry"],
///     Algorithms = [JwsAlgorithm.EdDSA],
/// };
/// </code></example>
public sealed record ValidationOptions
{
    /// <summary>Largest accepted <see cref="ClockSkew"/>.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The exact <c>iss</c> accepted.</summary>
    public required string Issuer { get; init; }

    /// <summary>The audiences accepted; the token's <c>aud</c> must contain one (exact match).</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary>The algorithm allow-list. HMAC and asymmetric algorithms may not be mixed.</summary>
    public required IReadOnlyList<JwsAlgorithm> Algorithms { get; init; }

    /// <summary>The required <c>typ</c> (case-insensitive, <c>application/</c> prefix allowed).</summary>
    public string Type { get; init; } = JwtTypes.AccessToken;

    /// <summary>Allowed clock difference for exp, nbf and iat (default 30 s, at most 5 min).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest accepted <c>exp − iat</c> (default 60 min).</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Largest token accepted, in bytes (default 8 KiB).</summary>
    public int MaxTokenSize { get; init; } = TokenSize.Default;

    /// <summary>Claims that must be present (default iss, sub, aud, exp, iat, jti).</summary>
    public RegisteredClaims RequiredClaims { get; init; } = RegisteredClaims.Default;

    /// <summary>How many verified tokens to remember (0 turns the cache off).</summary>
    public int CacheSize { get; init; } = 10_000;

    /// <summary>
    /// What step 7 does when the deny list answers <see cref="Revocation.RevocationStatus.Stale"/>
    /// (its copy may be older than <c>revocation.max_staleness</c>): false (the default,
    /// <c>revocation.on_stale: refuse</c>) refuses with <c>revoked</c> and the detail
    /// "revocation list stale"; true accepts and sets <see cref="ValidationResult.RevocationStale"/>,
    /// which the host must security-log.
    /// </summary>
    public bool AcceptStaleRevocations { get; init; }

    /// <summary>
    /// For client assertions (RFC 7523), which carry no <c>typ</c> by protocol: the token may
    /// omit <c>typ</c>; when present it must still equal <see cref="Type"/>. Never for access tokens.
    /// </summary>
    internal bool TypeMayBeAbsent { get; init; }

    /// <summary>Every problem with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(Issuer))
        {
            problems.Add("Issuer is required");
        }

        if (Audiences is null || Audiences.Count == 0 || Audiences.Any(string.IsNullOrEmpty))
        {
            problems.Add("Audiences needs at least one non-empty audience");
        }

        if (Algorithms is null || Algorithms.Count == 0 || Algorithms.Any(a => a is null))
        {
            problems.Add("Algorithms (the allow-list) needs at least one algorithm");
        }
        else if (Algorithms.Any(a => a.IsSymmetric) && Algorithms.Any(a => !a.IsSymmetric))
        {
            problems.Add("Algorithms mixes HMAC with asymmetric algorithms (algorithm confusion risk)");
        }

        if (string.IsNullOrWhiteSpace(Type))
        {
            problems.Add("Type is required (the typ every token must carry, e.g. at+jwt)");
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > MaxClockSkew)
        {
            problems.Add("ClockSkew must be between 0 and 5 minutes");
        }

        if (MaxLifetime <= TimeSpan.Zero || MaxLifetime > TimeSpan.FromDays(1))
        {
            problems.Add("MaxLifetime must be between 1 second and 1 day");
        }

        if (MaxTokenSize is < TokenSize.Min or > TokenSize.Max)
        {
            problems.Add("MaxTokenSize must be between 256 bytes and 64 KiB");
        }

        RegisteredClaims always = RegisteredClaims.Issuer | RegisteredClaims.Audience | RegisteredClaims.Expiration;
        if ((RequiredClaims & always) != always)
        {
            problems.Add("RequiredClaims must include iss, aud and exp");
        }

        if (CacheSize is < 0 or > 1_000_000)
        {
            problems.Add("CacheSize must be between 0 and 1,000,000");
        }

        return problems;
    }
}
