using Tessera.Algorithms;

namespace Tessera.Validation;

/// <summary>
/// The answer for one token: valid with its claims, or one SPEC.md §2 code and message. The
/// detail names a claim or a known key, never token content or key material.
/// </summary>
public readonly struct ValidationResult
{
    internal ValidationResult(ValidationError error, string? detail, TokenClaims? claims, JwsKey? key, bool revocationStale = false)
    {
        Error = error;
        Detail = detail;
        Claims = claims;
        Key = key;
        RevocationStale = revocationStale;
    }

    /// <summary>
    /// The detail of a <see cref="ValidationError.Revoked"/> refusal that says the deny list was
    /// too old to answer (docs/SPEC.md §7, <c>on_stale: refuse</c>): the token may be fine; edge
    /// validators answer it with 503, not 401.
    /// </summary>
    public const string StaleRevocationDetail = "revocation list stale";

    /// <summary>True when this is the refusal of a stale deny list (<see cref="StaleRevocationDetail"/>).</summary>
    public bool IsStaleRevocationRefusal => Error == ValidationError.Revoked && Detail == StaleRevocationDetail;

    /// <summary>
    /// True when the token was accepted although the deny list was stale
    /// (<see cref="ValidationOptions.AcceptStaleRevocations"/>): the host should security-log it.
    /// </summary>
    public bool RevocationStale { get; }

    /// <summary>True when every check passed.</summary>
    public bool IsValid => Error == ValidationError.None && Claims is not null;

    /// <summary>The reason for refusal, or <see cref="ValidationError.None"/>.</summary>
    public ValidationError Error { get; }

    /// <summary>Optional detail: which claim, which kid. Safe to log; not sent to clients.</summary>
    public string? Detail { get; }

    /// <summary>The verified claims when valid (also set for refusals after step 4).</summary>
    public TokenClaims? Claims { get; }

    /// <summary>The key that verified the signature, once step 4 has passed.</summary>
    public JwsKey? Key { get; }

    /// <summary>The SPEC code, e.g. <c>expired</c>.</summary>
    public string Code => CodeOf(Error);

    /// <summary>The canonical message, e.g. <c>Token expired</c>.</summary>
    public string Message => MessageOf(Error);

    /// <summary>The SPEC code of an error.</summary>
    public static string CodeOf(ValidationError error) => error switch
    {
        ValidationError.None => "valid",
        ValidationError.Malformed => "malformed",
        ValidationError.InvalidAlgorithm => "invalid_algorithm",
        ValidationError.UnknownKey => "unknown_key",
        ValidationError.InvalidSignature => "invalid_signature",
        ValidationError.InvalidType => "invalid_type",
        ValidationError.MissingClaim => "missing_claim",
        ValidationError.Expired => "expired",
        ValidationError.NotYetValid => "not_yet_valid",
        ValidationError.LifetimeExceeded => "lifetime_exceeded",
        ValidationError.InvalidIssuer => "invalid_issuer",
        ValidationError.InvalidAudience => "invalid_audience",
        _ => "revoked",
    };

    /// <summary>The canonical message of an error.</summary>
    public static string MessageOf(ValidationError error) => error switch
    {
        ValidationError.None => "Token valid",
        ValidationError.Malformed => "Malformed token",
        ValidationError.InvalidAlgorithm => "Invalid algorithm",
        ValidationError.UnknownKey => "Unknown signing key",
        ValidationError.InvalidSignature => "Signature verification failed",
        ValidationError.InvalidType => "Invalid token type",
        ValidationError.MissingClaim => "Missing required claim",
        ValidationError.Expired => "Token expired",
        ValidationError.NotYetValid => "Token not yet valid",
        ValidationError.LifetimeExceeded => "Token lifetime exceeds policy",
        ValidationError.InvalidIssuer => "Invalid issuer",
        ValidationError.InvalidAudience => "Invalid audience",
        _ => "Token revoked",
    };

    /// <summary>The message followed by <c>: detail</c> when there is one.</summary>
    public override string ToString() => Detail is null ? Message : Message + ": " + Detail;
}
