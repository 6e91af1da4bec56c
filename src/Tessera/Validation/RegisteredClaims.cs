namespace Tessera.Validation;

/// <summary>The registered claims of RFC 7519 §4.1 that a policy can require.</summary>
[Flags]
public enum RegisteredClaims
{
    /// <summary>No claim.</summary>
    None = 0,

    /// <summary><c>iss</c>.</summary>
    Issuer = 1,

    /// <summary><c>sub</c>.</summary>
    Subject = 2,

    /// <summary><c>aud</c>.</summary>
    Audience = 4,

    /// <summary><c>exp</c>.</summary>
    Expiration = 8,

    /// <summary><c>nbf</c>.</summary>
    NotBefore = 16,

    /// <summary><c>iat</c>.</summary>
    IssuedAt = 32,

    /// <summary><c>jti</c>.</summary>
    JwtId = 64,

    /// <summary>The SPEC.md §2 default: iss, sub, aud, exp, iat, jti.</summary>
    Default = Issuer | Subject | Audience | Expiration | IssuedAt | JwtId,
}
