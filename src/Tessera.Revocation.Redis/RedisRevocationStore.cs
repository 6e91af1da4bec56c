// docs/SPEC.md §7's shared store. Writes go to the issuer's durable journal first (when it has
// one), then to Redis in one Lua script each (value with its own expiry, log entry, epoch), then a
// pub/sub hint. Lookups never touch Redis: they read the local RevocationMirror, which the sync
// loop (RedisRevocationStore.Sync.cs) keeps within max_staleness of Redis.
using StackExchange.Redis;
using Tessera.Revocation.Sqlite;

namespace Tessera.Revocation.Redis;

/// <summary>The shared revocation store on Redis, with an exact local mirror.</summary>
/// <example><code>
/// using var store = RedisRevocationStore.Connect(ConfigurationOptions.Parse("127.0.0.1:6380"),
///     new RedisRevocationOptions { MaxStaleness = TimeSpan.FromSeconds(5) }, TimeProvider.System);
/// var validator = new TokenValidator(options, keys, TimeProvider.System, store);
/// </code></example>
public sealed partial class RedisRevocationStore : IRevocationStore
{
    private readonly ConnectionMultiplexer _redis;
    private readonly RedisRevocationOptions _options;
    private readonly RedisLayout _layout;
    private readonly TimeProvider _time;
    private readonly RevocationMirror _mirror;
    private readonly SqliteRevocationStore? _journal;
    private readonly string _epochCandidate = Guid.NewGuid().ToString("N");

    private RedisRevocationStore(ConnectionMultiplexer redis, RedisRevocationOptions options, TimeProvider time)
    {
        _redis = redis;
        _options = options;
        _layout = new RedisLayout(options.KeyPrefix);
        _time = time;
        _mirror = new RevocationMirror(time, options.MaxStaleness);
        _journal = options.Journal;
    }

    /// <summary>The local copy lookups read (its size, last sync and staleness are metrics).</summary>
    public RevocationMirror Mirror => _mirror;

    /// <summary>
    /// Connects. With <see cref="RedisRevocationOptions.RequireConnection"/> the first sync must
    /// succeed, else this throws <see cref="RedisException"/> with the reason (unreachable, wrong
    /// password, a key that does not hold what Tessera wrote); without, the store starts stale
    /// and recovers by itself when Redis answers.
    /// </summary>
    public static RedisRevocationStore Connect(ConfigurationOptions redis, RedisRevocationOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.MaxStaleness <= TimeSpan.Zero || string.IsNullOrEmpty(options.KeyPrefix))
        {
            throw new ArgumentException("MaxStaleness must be positive and KeyPrefix non-empty", nameof(options));
        }

        ConfigurationOptions settings = redis.Clone();
        settings.AbortOnConnectFail = options.RequireConnection;
        var store = new RedisRevocationStore(ConnectionMultiplexer.Connect(settings), options, time);
        try
        {
            store.Start();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public bool IsHealthy => _redis.IsConnected && !_mirror.IsStale;

    /// <inheritdoc/>
    public bool IsRevoked(string jti) => _mirror.IsRevoked(jti);

    /// <inheritdoc/>
    public RevocationStatus Check(string? jti, string? subject, string? clientId, long? issuedAt) =>
        _mirror.Check(jti, subject, clientId, issuedAt);

    /// <inheritdoc/>
    public bool Revoke(string jti, DateTimeOffset until)
    {
        ArgumentException.ThrowIfNullOrEmpty(jti);
        RevocationEntry entry = RevocationEntry.ForJti(jti, until.ToUnixTimeSeconds());
        _journal?.Revoke(jti, until);
        bool added = Write(entry) == 1;
        _mirror.Apply(entry);
        Hint();
        return added;
    }

    /// <inheritdoc/>
    public bool RevokeBefore(CutoffScope scope, string? id, DateTimeOffset before)
    {
        RevocationEntry entry = RevocationEntry.ForCutoff(scope, id, before.ToUnixTimeSeconds());
        _journal?.RevokeBefore(scope, id, before);
        bool moved = Write(entry) == 1;
        _mirror.Apply(entry);
        Hint();
        return moved;
    }

    /// <inheritdoc/>
    public int Purge(DateTimeOffset now) => _mirror.Purge();

    /// <inheritdoc/>
    public void Dispose()
    {
        _timer?.Dispose();
        _stopping.Cancel();
        if (Interlocked.Exchange(ref _hintPending, 0) == 1)
        {
            // A one-shot writer (tessera revoke) exits now: send its hint before closing.
            try
            {
                _redis.GetSubscriber().Publish(_layout.Events, "w");
            }
            catch (RedisException)
            {
                // the followers' next sync interval covers it
            }
        }

        _redis.Dispose();
        _stopping.Dispose();
        _journal?.Dispose();
    }

    // One write, sent again once when the connection dropped or the answer did not come (a
    // CLIENT KILL, a failover): each write keeps the later time, so a second copy changes nothing.
    // If the first copy did land, the second answers "already listed", which for a one-time
    // client assertion means a refusal: the safe side.
    private long Write(RevocationEntry entry)
    {
        try
        {
            return WriteOnce(entry);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            return WriteOnce(entry);
        }
    }

    // The value, its log entry, and the epoch when there is none yet, in one script.
    private long WriteOnce(RevocationEntry entry) => (long)Database.ScriptEvaluate(
        entry.Scope is null ? RedisLayout.RevokeJtiScript : RedisLayout.CutoffScript,
        entry.Scope is null ? [_layout.Jti(entry.Id!), _layout.Log, _layout.Epoch] : [_layout.Cutoffs, _layout.Log, _layout.Epoch],
        [entry.Scope is null ? entry.Id : RedisLayout.Field(entry.Scope.Value, entry.Id), RedisLayout.Text(entry.Time), RedisLayout.Text(RedisLayout.LogRetentionSeconds), _epochCandidate]);

    private Task<RedisResult> WriteAsync(RevocationEntry entry) => Database.ScriptEvaluateAsync(
        entry.Scope is null ? RedisLayout.RevokeJtiScript : RedisLayout.CutoffScript,
        entry.Scope is null ? [_layout.Jti(entry.Id!), _layout.Log, _layout.Epoch] : [_layout.Cutoffs, _layout.Log, _layout.Epoch],
        [entry.Scope is null ? entry.Id : RedisLayout.Field(entry.Scope.Value, entry.Id), RedisLayout.Text(entry.Time), RedisLayout.Text(RedisLayout.LogRetentionSeconds), _epochCandidate]);

    // Pub/sub only hastens other nodes' syncs; a lost message costs at most one sync interval.
    // A writer sends at most one hint per HintWindow, at the window's end, covering every write
    // in it: each message costs every follower a delivery (at 1,000 revocations/s, one hint per
    // write cost a validator 15 % of a core), while one sync reads the whole window's writes.
    private static readonly TimeSpan HintWindow = TimeSpan.FromMilliseconds(10);
    private int _hintPending;

    private void Hint()
    {
        if (Interlocked.Exchange(ref _hintPending, 1) == 1)
        {
            return; // a hint is already due; it covers this write
        }

        _ = Task.Delay(HintWindow).ContinueWith(
            _ =>
            {
                Volatile.Write(ref _hintPending, 0);
                try
                {
                    _redis.GetSubscriber().Publish(_layout.Events, "w", CommandFlags.FireAndForget);
                }
                catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
                {
                    // the next sync interval covers it
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private IDatabase Database => _redis.GetDatabase();
}
