namespace Tessera.Revocation;

/// <summary>
/// A durable deny list (SPEC §7): a revoked <c>jti</c> stays listed until the token's own
/// expiry plus skew, then drops off by itself. Lookups (<see cref="IRevocationList.IsRevoked"/>)
/// are local O(1) reads; writes go to durable storage first.
/// </summary>
public interface IRevocationStore : IRevocationList, IDisposable
{
    /// <summary>Denies <paramref name="jti"/> until <paramref name="until"/>; true when it was not denied yet.</summary>
    bool Revoke(string jti, DateTimeOffset until);

    /// <summary>Drops entries whose time has passed; returns how many.</summary>
    int Purge(DateTimeOffset now);

    /// <summary>True when the store can answer (for readiness checks).</summary>
    bool IsHealthy { get; }
}
