namespace Tessera.Issuance;

/// <summary>
/// A signed access token with the identifiers a host records about it: the <c>jti</c> for the
/// security log and the deny list, and the expiry (a revocation is kept until then).
/// </summary>
public readonly struct IssuedToken
{
    internal IssuedToken(string token, string jwtId, DateTimeOffset expiresAt)
    {
        Token = token;
        JwtId = jwtId;
        ExpiresAt = expiresAt;
    }

    /// <summary>The compact JWS (RFC 7515 §7.1). A bearer credential: never log it.</summary>
    public string Token { get; }

    /// <summary>The token's <c>jti</c>: 128 random bits, base64url.</summary>
    public string JwtId { get; }

    /// <summary>The token's <c>exp</c>.</summary>
    public DateTimeOffset ExpiresAt { get; }
}
