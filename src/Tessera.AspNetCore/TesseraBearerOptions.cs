using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Tessera.Revocation;

namespace Tessera.AspNetCore;

/// <summary>
/// Options of <c>AddTesseraBearer</c>. <see cref="Authority"/> and an audience are enough: the
/// JWKS URL comes from the authority's metadata (RFC 8414). Bound from the configuration section
/// <c>Authentication:Schemes:&lt;scheme&gt;</c> like JwtBearer's (keys <c>Authority</c>,
/// <c>Issuer</c>, <c>Audience</c>, <c>Audiences</c>, <c>JwksUri</c>, <c>Algorithms</c>,
/// <c>TokenType</c>, <c>ClockSkew</c>, <c>MaxTokenLifetime</c>, <c>BackchannelCaFile</c>).
/// </summary>
public sealed class TesseraBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>The issuer's URL (https); its metadata gives the JWKS URL.</summary>
    public string? Authority { get; set; }

    /// <summary>The exact <c>iss</c> required; defaults to <see cref="Authority"/>.</summary>
    public string? Issuer { get; set; }

    /// <summary>One accepted audience (added to <see cref="Audiences"/>).</summary>
    public string? Audience { get; set; }

    /// <summary>Accepted audiences; a token's <c>aud</c> must contain one.</summary>
    public IList<string> Audiences { get; } = [];

    /// <summary>The JWKS URL, when discovery is not wanted.</summary>
    public string? JwksUri { get; set; }

    /// <summary>The algorithm allow-list (JWS names); empty means <c>EdDSA</c> only.</summary>
    public IList<string> Algorithms { get; } = [];

    /// <summary>The required <c>typ</c> (default <c>at+jwt</c>).</summary>
    public string TokenType { get; set; } = "at+jwt";

    /// <summary>Allowed clock skew (default 30 s, at most 5 min).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest accepted <c>exp - iat</c> (default 60 min).</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>A PEM file with the private CA the issuer's certificate chains to.</summary>
    public string? BackchannelCaFile { get; set; }

    /// <summary>The private CA itself (instead of <see cref="BackchannelCaFile"/>).</summary>
    public X509Certificate2? BackchannelCa { get; set; }

    /// <summary>The deny list of step 7 (docs/SPEC.md §7), when revocation is used.</summary>
    public IRevocationList? Revocations { get; set; }

    /// <summary>
    /// With a stale deny list (docs/SPEC.md §7): false (default, <c>on_stale: refuse</c>)
    /// answers 503; true accepts and logs a warning per token.
    /// </summary>
    public bool AcceptStaleRevocations { get; set; }

    /// <summary>The JWKS client's tuning (max-age bounds, stale limit, ...); the URL and CA come from above.</summary>
    public Func<Tessera.Jwks.JwksClientOptions, Tessera.Jwks.JwksClientOptions>? ConfigureJwks { get; set; }

    /// <summary>Checks what can be checked without the network.</summary>
    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrEmpty(Authority) && string.IsNullOrEmpty(JwksUri))
        {
            throw new InvalidOperationException("TesseraBearer: set Authority (or JwksUri)");
        }

        if (string.IsNullOrEmpty(Issuer ?? Authority))
        {
            throw new InvalidOperationException("TesseraBearer: set Issuer (or Authority)");
        }

        if (string.IsNullOrEmpty(Audience) && Audiences.Count == 0)
        {
            throw new InvalidOperationException("TesseraBearer: set Audience (or Audiences)");
        }
    }
}
