namespace Tessera.Revocation;

/// <summary>
/// The deny list consulted at pipeline step 7 (docs/SPEC.md §7). Lookups must be local and O(1):
/// a validator never asks a remote store per token.
/// </summary>
public interface IRevocationList
{
    /// <summary>True when the token with this exact <c>jti</c> is revoked.</summary>
    bool IsRevoked(string jti);

    /// <summary>
    /// The one question of step 7: is the token with this <c>jti</c>, <c>sub</c>, <c>client_id</c>
    /// and <c>iat</c> revoked, either by its <c>jti</c> or because its <c>iat</c> is strictly before
    /// the latest cutoff that applies to it (issuer, subject or client)? A token without
    /// <c>iat</c> that a cutoff applies to is revoked. <see cref="RevocationStatus.Stale"/> when the
    /// list cannot vouch for being current. The default asks <see cref="IsRevoked"/> only
    /// (a list without cutoffs that is never stale).
    /// </summary>
    RevocationStatus Check(string? jti, string? subject, string? clientId, long? issuedAt) =>
        jti is not null && IsRevoked(jti) ? RevocationStatus.Revoked : RevocationStatus.NotRevoked;
}
