namespace Tessera.Keys;

/// <summary>
/// The rotation timing (SPEC.md §4–§5): how far ahead a new key is published, how long a
/// replaced key stays published (the longest token lifetime plus skew), and the rotation period.
/// </summary>
public sealed record KeySchedule
{
    /// <summary>Publish a key this long before it signs (default 2 days).</summary>
    public TimeSpan Prepublish { get; init; } = TimeSpan.FromDays(2);

    /// <summary>Keep a replaced key published this long after its successor activates (60 min + 30 s).</summary>
    public TimeSpan RetireAfter { get; init; } = TimeSpan.FromMinutes(60) + TimeSpan.FromSeconds(30);

    /// <summary>Rotate this often (default 30 days).</summary>
    public TimeSpan RotateEvery { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a validator may cache the JWKS (the HTTP max-age): a quarter of
    /// <see cref="Prepublish"/>, at most one hour. Every validator therefore refreshes several
    /// times between a key's publication and its activation, and an emergency retirement
    /// reaches every cache within the hour.
    /// </summary>
    public TimeSpan JwksMaxAge => Prepublish / 4 < TimeSpan.FromHours(1) ? Prepublish / 4 : TimeSpan.FromHours(1);
}
