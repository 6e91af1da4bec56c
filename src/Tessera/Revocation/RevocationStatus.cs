namespace Tessera.Revocation;

/// <summary>What a deny list says about one token (docs/SPEC.md §7).</summary>
public enum RevocationStatus
{
    /// <summary>Not on the deny list, and the list is fresh.</summary>
    NotRevoked = 0,

    /// <summary>Its <c>jti</c> is listed, or its <c>iat</c> is before a cutoff that applies to it.</summary>
    Revoked,

    /// <summary>Not listed as far as the local copy knows, but the copy may be older than <c>revocation.max_staleness</c>.</summary>
    Stale,
}
