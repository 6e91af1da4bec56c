// SPEC §7's embedded, durable store: one SQLite file in WAL mode (synchronous=FULL, so a
// revocation acknowledged is a revocation kept across a power cut), mirrored in memory so a
// lookup is a dictionary read. Entries expire by themselves: lookups ignore entries past their
// time and Purge deletes them. Single node; the Redis store serves many.
using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<string, long> _denied = new(StringComparer.Ordinal);
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
    public bool IsRevoked(string jti) =>
        jti is not null && _denied.TryGetValue(jti, out long until) && until > _time.GetUtcNow().ToUnixTimeSeconds();

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
            bool added = !_denied.ContainsKey(jti);
            _denied.AddOrUpdate(jti, seconds, (_, old) => Math.Max(old, seconds));
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
            foreach (KeyValuePair<string, long> entry in _denied)
            {
                if (entry.Value <= seconds)
                {
                    _denied.TryRemove(entry);
                }
            }

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
        using SqliteDataReader reader = load.ExecuteReader();
        while (reader.Read())
        {
            _denied[reader.GetString(0)] = reader.GetInt64(1);
        }
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
