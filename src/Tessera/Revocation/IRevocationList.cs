namespace Tessera.Revocation;

/// <summary>
/// The deny list consulted at pipeline step 7 (SPEC.md §7). Lookups must be local and O(1). A
/// store that cannot answer throws <see cref="RevocationUnavailableException"/>; the caller maps
/// that to its fail-closed policy.
/// </summary>
public interface IRevocationList
{
    /// <summary>True when the token with this exact <c>jti</c> is revoked.</summary>
    bool IsRevoked(string jti);
}
