// The one way a host opens the revocation store of docs/SPEC.md §7: from its parsed URI to the
// core's interface. A store that is configured but cannot be used is a start-up error naming the
// key (exit 2), never a silent fallback to another store.
using Tessera.Revocation;
using Tessera.Revocation.Sqlite;
using Tessera.Server.Configuration;

namespace Tessera.Server.Revocation;

/// <summary>Opens revocation stores.</summary>
public static class RevocationStores
{
    /// <summary>
    /// Opens the store <paramref name="uri"/> names; throws <see cref="ConfigException"/> when
    /// it cannot be used (here: the shared Redis store is not part of this build yet).
    /// </summary>
    public static IRevocationStore Open(RevocationStoreUri uri, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(time);
        return uri.Kind switch
        {
            RevocationStoreKind.Sqlite => new SqliteRevocationStore(uri.Path!, time),
            _ => throw new ConfigException($"revocation.store: {uri} names a Redis store, which this build does not have yet; use sqlite:PATH"),
        };
    }
}
