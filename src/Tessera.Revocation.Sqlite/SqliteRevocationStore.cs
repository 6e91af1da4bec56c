// SPEC §7's embedded, durable store: one SQLite file in WAL mode (synchronous=FULL, so a
// revocation acknowledged is a revocation kept across a power cut), mirrored in memory so a
// lookup is a dictionary read (a RevocationMirror that is never stale: the file is the truth).
// Entries expire by themselves: lookups ignore entries past their time and Purge deletes them.
// Cutoffs (SPEC §7) live in a second table, added beside the first in files made before them.
// Single node; the Redis store serves many, and keeps one of these as its durable journal.
using Microsoft.Data.Sqlite;

namespace Tessera.Revocation.Sqlite;

/// <summary>The embedded revocation store.</summary>
/// <example><code>
/// using var store = new SqliteRevocationStore("/var/lib/tessera/revocations.db", TimeProvider.System);
/// store.Revoke(jti, expiresAt.AddSeconds(30));
/// </code></example>
public sealed class SqliteRevocationStore : IRevocationStore
{
    private readonly SqliteConnection _db;
    private readonly TimeProvider _time;
    private readonly RevocationMirror _denied;
    private readonly Lock _write = new();
    private readonly ITimer? _poll;
    private long _dataVersion;
    private DateTimeOffset _nextPurge;

    /// <summary>Opens (creating when missing, mode 0600) the database at <paramref name="path"/>.</summary>
    public SqliteRevocationStore(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _denied = new RevocationMirror(time, Timeout.InfiniteTimeSpan);
        _denied.MarkSynced();
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (!File.Exists(path))
        {
            using (File.Create(path, 0, FileOptions.None))
            {
            }

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("CREATE TABLE IF NOT EXISTS revoked (jti TEXT PRIMARY KEY, until INTEGER NOT NULL) WITHOUT ROWID;");

        // scope: 0 issuer (id ''), 1 subject, 2 client (CutoffScope); before: first iat not refused.
        Execute("CREATE TABLE IF NOT EXISTS cutoffs (scope INTEGER NOT NULL, id TEXT NOT NULL, before INTEGER NOT NULL, PRIMARY KEY (scope, id)) WITHOUT ROWID;");
        Purge(time.GetUtcNow());
        Reload();

        // Other processes (`tessera revoke`) write the same file: PRAGMA data_version changes
        // when they do, and the memory copy is reloaded within a second.
        _poll = time.CreateTimer(_ => ReloadIfChanged(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <inheritdoc/>
    public bool IsHealthy
    {
        get
        {
            try
            {
                lock (_write)
                {
                    using SqliteCommand ping = _db.CreateCommand();
                    ping.CommandText = "SELECT 1;";
                    return ping.ExecuteScalar() is long one && one == 1;
                }
            }
            catch (SqliteException)
            {
                return false;
            }
        }
    }

    /// <summary>How many entries are held (expired ones included until purged).</summary>
    public int Count => _denied.Count;

    /// <inheritdoc/>
    public bool IsRevoked(string jti) => _denied.IsRevoked(jti);

    /// <inheritdoc/>
    public RevocationStatus Check(string? jti, string? subject, string? clientId, long? issuedAt) =>
        _denied.Check(jti, subject, clientId, issuedAt);

    /// <inheritdoc/>
    public bool RevokeBefore(CutoffScope scope, string? id, DateTimeOffset before)
    {
        RevocationEntry entry = RevocationEntry.ForCutoff(scope, id, before.ToUnixTimeSeconds());
        lock (_write)
        {
            using SqliteCommand insert = _db.CreateCommand();
            insert.CommandText = "INSERT INTO cutoffs (scope, id, before) VALUES ($scope, $id, $before) ON CONFLICT(scope, id) DO UPDATE SET before = MAX(before, excluded.before);";
            insert.Parameters.AddWithValue("$scope", (int)scope);
            insert.Parameters.AddWithValue("$id", id ?? string.Empty);
            insert.Parameters.AddWithValue("$before", entry.Time);
            insert.ExecuteNonQuery();
            return _denied.Apply(entry);
        }
    }

    /// <summary>
    /// Every unexpired entry in the file (revoked jtis and cutoffs), read from disk: what a shared
    /// store that lost its data is re-seeded from.
    /// </summary>
    public IReadOnlyList<RevocationEntry> Entries()
    {
        var list = new List<RevocationEntry>();
        lock (_write)
        {
            using SqliteCommand jtis = _db.CreateCommand();
            jtis.CommandText = "SELECT jti, until FROM revoked WHERE until > $now;";
            jtis.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeSeconds());
            using (SqliteDataReader reader = jtis.ExecuteReader())
            {
                while (reader.Read())
                {
                    list.Add(RevocationEntry.ForJti(reader.GetString(0), reader.GetInt64(1)));
                }
            }

            list.AddRange(Cutoffs());
        }

        return list;
    }

    /// <inheritdoc/>
    public bool Revoke(string jti, DateTimeOffset until)
    {
        ArgumentException.ThrowIfNullOrEmpty(jti);
        long seconds = until.ToUnixTimeSeconds();
        lock (_write)
        {
            using SqliteCommand insert = _db.CreateCommand();
            insert.CommandText = "INSERT INTO revoked (jti, until) VALUES ($jti, $until) ON CONFLICT(jti) DO UPDATE SET until = MAX(until, excluded.until);";
            insert.Parameters.AddWithValue("$jti", jti);
            insert.Parameters.AddWithValue("$until", seconds);
            insert.ExecuteNonQuery();
            bool added = !_denied.IsRevoked(jti);
            _denied.Apply(RevocationEntry.ForJti(jti, seconds));
            return added;
        }
    }

    /// <inheritdoc/>
    public int Purge(DateTimeOffset now)
    {
        long seconds = now.ToUnixTimeSeconds();
        lock (_write)
        {
            using SqliteCommand delete = _db.CreateCommand();
            delete.CommandText = "DELETE FROM revoked WHERE until <= $now;";
            delete.Parameters.AddWithValue("$now", seconds);
            int removed = delete.ExecuteNonQuery();
            _denied.Purge();
            return removed;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _poll?.Dispose();
        lock (_write)
        {
            _db.Dispose();
        }
    }

    private void ReloadIfChanged()
    {
        try
        {
            lock (_write)
            {
                // Expired entries leave the file once a minute (lookups ignore them before).
                DateTimeOffset now = _time.GetUtcNow();
                if (now >= _nextPurge)
                {
                    _nextPurge = now + TimeSpan.FromMinutes(1);
                    Purge(now);
                }

                if (DataVersion() != _dataVersion)
                {
                    Reload();
                }
            }
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            // Reported through IsHealthy; the last good copy stays in use.
        }
    }

    private void Reload()
    {
        _dataVersion = DataVersion();
        using SqliteCommand load = _db.CreateCommand();
        load.CommandText = "SELECT jti, until FROM revoked;";
        using (SqliteDataReader reader = load.ExecuteReader())
        {
            while (reader.Read())
            {
                _denied.Apply(RevocationEntry.ForJti(reader.GetString(0), reader.GetInt64(1)));
            }
        }

        foreach (RevocationEntry cutoff in Cutoffs())
        {
            _denied.Apply(cutoff);
        }
    }

    private List<RevocationEntry> Cutoffs()
    {
        var list = new List<RevocationEntry>();
        using SqliteCommand load = _db.CreateCommand();
        load.CommandText = "SELECT scope, id, before FROM cutoffs;";
        using SqliteDataReader reader = load.ExecuteReader();
        while (reader.Read())
        {
            var scope = (CutoffScope)reader.GetInt32(0);
            if (Enum.IsDefined(scope))
            {
                list.Add(RevocationEntry.ForCutoff(scope, scope == CutoffScope.Issuer ? null : reader.GetString(1), reader.GetInt64(2)));
            }
        }

        return list;
    }

    private long DataVersion()
    {
        using SqliteCommand version = _db.CreateCommand();
        version.CommandText = "PRAGMA data_version;";
        return (long)version.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using SqliteCommand command = _db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
