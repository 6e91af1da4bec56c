namespace Tessera.Validation;

/// <summary>The closed set of reasons a token is refused (SPEC.md §2), in pipeline order.</summary>
public enum ValidationError
{
    /// <summary>The token is valid.</summary>
    None = 0,

    /// <summary><c>malformed</c>: Malformed token.</summary>
    Malformed,

    /// <summary><c>invalid_algorithm</c>: Invalid algorithm.</summary>
    InvalidAlgorithm,

    /// <summary><c>unknown_key</c>: Unknown signing key.</summary>
    UnknownKey,

    /// <summary><c>invalid_signature</c>: Signature verification failed.</summary>
    InvalidSignature,

    /// <summary><c>invalid_type</c>: Invalid token type.</summary>
    InvalidType,

    /// <summary><c>missing_claim</c>: Missing required claim.</summary>
    MissingClaim,

    /// <summary><c>expired</c>: Token expired.</summary>
    Expired,

    /// <summary><c>not_yet_valid</c>: Token not yet valid.</summary>
    NotYetValid,

    /// <summary><c>lifetime_exceeded</c>: Token lifetime exceeds policy.</summary>
    LifetimeExceeded,

    /// <summary><c>invalid_issuer</c>: Invalid issuer.</summary>
    InvalidIssuer,

    /// <summary><c>invalid_audience</c>: Invalid audience.</summary>
    InvalidAudience,

    /// <summary><c>revoked</c>: Token revoked.</summary>
    Revoked,
}
