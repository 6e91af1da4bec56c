using System.Security.Cryptography.X509Certificates;
using Tessera.Algorithms;

namespace Tessera.Jwks;

/// <summary>Where a <see cref="JwksClient"/> fetches keys and how long it trusts what it fetched.</summary>
public sealed record JwksClientOptions
{
    /// <summary>The issuer's JWK Set URL; https only.</summary>
    public required Uri JwksUri { get; init; }

    /// <summary>A private CA the issuer's certificate must chain to; null trusts the system store.</summary>
    public X509Certificate2? TrustedRoot { get; init; }

    /// <summary>How long a key set is fresh when the answer has no <c>Cache-Control: max-age</c>.</summary>
    public TimeSpan DefaultMaxAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The shortest freshness honoured (a <c>max-age</c> below it, or <c>no-cache</c>, counts as this).</summary>
    public TimeSpan MinMaxAge { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest freshness honoured, whatever the issuer says.</summary>
    public TimeSpan MaxMaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>At most one refetch per this interval is caused by tokens with an unknown <c>kid</c>.</summary>
    public TimeSpan UnknownKeyInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the last good key set keeps serving after the last successful fetch while the
    /// issuer cannot be reached; after it the client has no keys and validators cannot decide.
    /// </summary>
    public TimeSpan StaleLimit { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The wait before another attempt after a failed fetch.</summary>
    public TimeSpan RetryAfterFailure { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>One deadline per fetch, redirects and body included.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The algorithm of keys that carry no <c>alg</c> (null: such keys are skipped).</summary>
    public JwsAlgorithm? FallbackAlgorithm { get; init; }
}
