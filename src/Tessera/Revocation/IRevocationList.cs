namespace Tessera.Revocation;

/// <summary>
/// The deny list consulted at pipeline step 7 (docs/SPEC.md §7). Lookups must be local and O(1):
/// a validator never asks a remote store per token.
/// </summary>
public interface IRevocationList
{
    /// <summary>True when the token with this exact <c>jti</c> is revoked.</summary>
    bool IsRevoked(string jti);
}
