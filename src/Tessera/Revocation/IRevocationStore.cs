namespace Tessera.Revocation;

/// <summary>
/// A durable deny list (SPEC §7): a revoked <c>jti</c> stays listed until the token's own
/// expiry plus skew, then drops off by itself; cutoffs refuse every token of a subject, a client
/// or the whole issuer issued before a time. Lookups (<see cref="IRevocationList.Check"/>) are
/// local O(1) reads; writes go to durable storage first.
/// </summary>
public interface IRevocationStore : IRevocationList, IDisposable
{
    /// <summary>Denies <paramref name="jti"/> until <paramref name="until"/>; true when it was not denied yet.</summary>
    bool Revoke(string jti, DateTimeOffset until);

    /// <summary>
    /// Revokes every token in <paramref name="scope"/> (<paramref name="id"/> is the subject or
    /// client id; null for <see cref="CutoffScope.Issuer"/>) issued strictly before
    /// <paramref name="before"/>. A cutoff only ever moves later; true when it moved.
    /// </summary>
    bool RevokeBefore(CutoffScope scope, string? id, DateTimeOffset before);

    /// <summary>Drops entries whose time has passed; returns how many.</summary>
    int Purge(DateTimeOffset now);

    /// <summary>True when the store can answer (for readiness checks).</summary>
    bool IsHealthy { get; }
}
