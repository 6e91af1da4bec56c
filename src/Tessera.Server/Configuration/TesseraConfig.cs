using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Server.Revocation;

namespace Tessera.Server.Configuration;

/// <summary>
/// The checked contents of <c>auth.json</c> (SPEC §4) after <c>TESSERA_*</c> overrides. Build it
/// with <see cref="ConfigLoader"/>; every value here is already in range.
/// </summary>
public sealed record TesseraConfig
{
    /// <summary>Production location of the configuration file.</summary>
    public const string DefaultPath = "/opt/app/config/auth.json";

    /// <summary><c>issuer</c>.</summary>
    public required string Issuer { get; init; }

    /// <summary><c>audiences</c>.</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary><c>allowed_algs</c>.</summary>
    public required IReadOnlyList<JwsAlgorithm> AllowedAlgs { get; init; }

    /// <summary><c>signing_alg</c>.</summary>
    public required JwsAlgorithm SigningAlg { get; init; }

    /// <summary><c>token_typ</c>.</summary>
    public required string TokenTyp { get; init; }

    /// <summary><c>token_ttl</c>.</summary>
    public required TimeSpan TokenTtl { get; init; }

    /// <summary><c>max_token_lifetime</c>.</summary>
    public required TimeSpan MaxTokenLifetime { get; init; }

    /// <summary><c>clock_skew</c>.</summary>
    public required TimeSpan ClockSkew { get; init; }

    /// <summary><c>max_token_size</c> in bytes.</summary>
    public required int MaxTokenSize { get; init; }

    /// <summary><c>listen</c>.</summary>
    public required string Listen { get; init; }

    /// <summary><c>clients</c>.</summary>
    public required IReadOnlyList<ClientConfig> Clients { get; init; }

    /// <summary><c>keys.dir</c>.</summary>
    public required string KeysDir { get; init; }

    /// <summary><c>keys.rotate_every</c>.</summary>
    public required TimeSpan RotateEvery { get; init; }

    /// <summary><c>keys.prepublish</c>.</summary>
    public required TimeSpan Prepublish { get; init; }

    /// <summary><c>keys.rsa_bits</c>.</summary>
    public required int RsaBits { get; init; }

    /// <summary><c>revocation.store</c> (docs/SPEC.md §7).</summary>
    public required RevocationStoreUri RevocationStore { get; init; }

    /// <summary><c>revocation.max_staleness</c>: how old a Redis store's local copy may get (default 5 s).</summary>
    public TimeSpan RevocationMaxStaleness { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>revocation.on_stale</c> is <c>accept</c> (default <c>refuse</c>).</summary>
    public bool RevocationAcceptStale { get; init; }

    /// <summary><c>revocation.journal</c>: an issuer's durable copy of a Redis store's revocations.</summary>
    public string RevocationJournal { get; init; } = ConfigLoader.DefaultRevocationJournal;

    /// <summary><c>issuance.allowed_cidrs</c>.</summary>
    public required IReadOnlyList<string> AllowedCidrs { get; init; }

    /// <summary><c>issuance.trusted_proxies</c>.</summary>
    public required IReadOnlyList<string> TrustedProxies { get; init; }

    /// <summary><c>issuance.rate_limit.per_client</c> (permits per window; 0 = off).</summary>
    public required (int Permits, TimeSpan Window) RatePerClient { get; init; }

    /// <summary><c>issuance.rate_limit.per_address</c>.</summary>
    public required (int Permits, TimeSpan Window) RatePerAddress { get; init; }

    /// <summary><c>tls.cert</c>.</summary>
    public string? TlsCert { get; init; }

    /// <summary><c>tls.key</c>.</summary>
    public string? TlsKey { get; init; }

    /// <summary><c>security_log</c>.</summary>
    public required string SecurityLog { get; init; }

    /// <summary>The rotation timing implied by this configuration.</summary>
    public KeySchedule Schedule => new()
    {
        RotateEvery = RotateEvery,
        Prepublish = Prepublish,
        RetireAfter = MaxTokenLifetime + ClockSkew,
    };

    /// <summary><c>gate.*</c> (docs/SPEC.md §9).</summary>
    public GateConfig Gate { get; init; } = new();

    /// <summary>
    /// The validation policy of docs/SPEC.md §2 this configuration sets, for tokens meant for
    /// <paramref name="audiences"/> (the issuer's own, or a gate's).
    /// </summary>
    public Tessera.Validation.ValidationOptions ValidationPolicy(IReadOnlyList<string> audiences) => new()
    {
        Issuer = Issuer,
        Audiences = audiences,
        Algorithms = AllowedAlgs,
        Type = TokenTyp,
        ClockSkew = ClockSkew,
        MaxLifetime = MaxTokenLifetime,
        MaxTokenSize = MaxTokenSize,
        AcceptStaleRevocations = RevocationAcceptStale,
    };
}
