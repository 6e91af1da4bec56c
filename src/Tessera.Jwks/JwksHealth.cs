namespace Tessera.Jwks;

/// <summary>What a <see cref="JwksClient"/> can say about its keys.</summary>
public enum JwksHealth
{
    /// <summary>No usable key set: never fetched, or the last good one is past the stale limit.</summary>
    Unavailable = 0,

    /// <summary>The last fetch succeeded.</summary>
    Fresh,

    /// <summary>The last fetch failed; the last good key set still serves (until the stale limit).</summary>
    Stale,
}
