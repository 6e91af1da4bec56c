namespace Tessera.Server.Configuration;

/// <summary>The <c>gate.*</c> keys of <c>auth.json</c> (docs/SPEC.md §4, §9).</summary>
public sealed record GateConfig
{
    /// <summary>Where the gate listens by default: loopback, plain HTTP (behind a local proxy).</summary>
    public const string DefaultListen = "http://127.0.0.1:9090";

    /// <summary>Requests in flight beyond which <c>/readyz</c> answers 503.</summary>
    public const int DefaultMaxInFlight = 512;

    /// <summary>Proxies whose forwarded headers are believed, by default loopback only.</summary>
    public static readonly IReadOnlyList<string> DefaultTrustedProxies = ["127.0.0.0/8", "::1/128"];

    /// <summary><c>gate.listen</c>: http:// or https:// ADDRESS:PORT.</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary><c>gate.jwks</c>: the issuer's JWKS URL (https) or a JWKS file.</summary>
    public string? Jwks { get; init; }

    /// <summary><c>gate.audiences</c>.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary><c>gate.required_scopes</c>: every one must be in the token's scope.</summary>
    public IReadOnlyList<string> RequiredScopes { get; init; } = [];

    /// <summary><c>gate.cacert</c>: the private CA of the JWKS URL's certificate.</summary>
    public string? CaCert { get; init; }

    /// <summary><c>gate.trusted_proxies</c>: peers whose X-Original-*/X-Forwarded-* headers are used.</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = DefaultTrustedProxies;

    /// <summary><c>gate.max_in_flight</c>.</summary>
    public int MaxInFlight { get; init; } = DefaultMaxInFlight;
}
