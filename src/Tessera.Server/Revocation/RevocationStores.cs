// The one way a host opens the revocation store of docs/SPEC.md §7: from its parsed URI to the
// core's interface. A store that is configured but cannot be used is a start-up error naming the
// key (exit 2), never a silent fallback to another store. For Redis: a one-shot command (revoke,
// verify) needs Redis now and fails otherwise; a service starts stale and recovers by itself
// when Redis answers (docs/operations.md). An issuer keeps a durable SQLite journal beside it.
using StackExchange.Redis;
using Tessera.Revocation;
using Tessera.Revocation.Redis;
using Tessera.Revocation.Sqlite;
using Tessera.Server.Configuration;

namespace Tessera.Server.Revocation;

/// <summary>Opens revocation stores.</summary>
public static class RevocationStores
{
    /// <summary>Opens the store <paramref name="uri"/> names for a one-shot command, with the default staleness bound and no journal.</summary>
    public static IRevocationStore Open(RevocationStoreUri uri, TimeProvider time) =>
        Open(uri, time, TimeSpan.FromSeconds(5), journal: null, oneShot: true);

    /// <summary>
    /// Opens the store <paramref name="uri"/> names; throws <see cref="ConfigException"/> when it
    /// cannot be used. For Redis: <paramref name="maxStaleness"/> bounds the local copy's age,
    /// <paramref name="journal"/> (an issuer's) is the SQLite file Redis is re-seeded from, and
    /// <paramref name="oneShot"/> requires Redis to answer now, and <paramref name="writeOnly"/>
    /// (a command that only writes, such as <c>tessera revoke</c>) skips reading the list;
    /// <paramref name="learned"/> hears of each revocation another writer made (for the security log).
    /// </summary>
    public static IRevocationStore Open(RevocationStoreUri uri, TimeProvider time, TimeSpan maxStaleness, string? journal, bool oneShot, bool writeOnly = false, Action<RevocationEntry>? learned = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(time);
        if (uri.Kind == RevocationStoreKind.Sqlite)
        {
            return new SqliteRevocationStore(uri.Path!, time);
        }

        ConfigurationOptions redis = RedisUri.Options(uri, maxStaleness);
        SqliteRevocationStore? journalStore = journal is null ? null : new SqliteRevocationStore(journal, time);
        try
        {
            return RedisRevocationStore.Connect(
                redis,
                new RedisRevocationOptions { MaxStaleness = maxStaleness, Journal = journalStore, RequireConnection = oneShot, WriteOnly = writeOnly, Learned = learned },
                time);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            journalStore?.Dispose();
            throw new ConfigException($"revocation.store: {uri}: {RedisUri.Redact(ex.Message, redis)}");
        }
    }
}
