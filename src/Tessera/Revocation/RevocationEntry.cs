namespace Tessera.Revocation;

/// <summary>
/// One deny-list entry as stores exchange it: a revoked <c>jti</c> with the time it may drop off
/// (the token's <c>exp</c> plus skew), or a cutoff with the time before which tokens are refused.
/// Times are Unix seconds.
/// </summary>
public readonly struct RevocationEntry
{
    private RevocationEntry(CutoffScope? scope, string? id, long time)
    {
        Scope = scope;
        Id = id;
        Time = time;
    }

    /// <summary>Null for a <c>jti</c> entry, else which tokens the cutoff applies to.</summary>
    public CutoffScope? Scope { get; }

    /// <summary>The <c>jti</c>, the subject or the client id; null for an issuer-wide cutoff.</summary>
    public string? Id { get; }

    /// <summary>For a <c>jti</c>, when it may drop off; for a cutoff, the first <c>iat</c> not refused.</summary>
    public long Time { get; }

    /// <summary>A revoked <c>jti</c> kept until <paramref name="until"/>.</summary>
    public static RevocationEntry ForJti(string jti, long until)
    {
        ArgumentException.ThrowIfNullOrEmpty(jti);
        return new RevocationEntry(null, jti, until);
    }

    /// <summary>A cutoff: tokens of <paramref name="scope"/> (and <paramref name="id"/>) issued strictly before <paramref name="before"/> are refused.</summary>
    public static RevocationEntry ForCutoff(CutoffScope scope, string? id, long before)
    {
        if (scope == CutoffScope.Issuer ? id is not null : string.IsNullOrEmpty(id))
        {
            throw new ArgumentException(scope == CutoffScope.Issuer ? "an issuer-wide cutoff has no id" : "a subject or client cutoff needs an id", nameof(id));
        }

        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope));
        }

        return new RevocationEntry(scope, id, before);
    }
}
