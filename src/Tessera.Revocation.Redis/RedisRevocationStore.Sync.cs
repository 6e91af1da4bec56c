// The sync loop of the Redis store (docs/operations.md, "Revocation at scale"). Every interval
// (max_staleness / 5), and early on a pub/sub hint, one round:
//   1. read the epoch; when it differs from the one this node last read, Redis lost its data or
//      was re-seeded: an issuer writes its journal (and its mirror) back first, then everyone
//      re-reads everything (SCAN the jti keys, HGETALL the cutoffs) after noting the log's end;
//   2. otherwise read the log after the cursor (a full re-read instead when the cursor may have
//      been trimmed away, and every few minutes as a safety net);
//   3. apply what was read to the mirror (never removing anything: an emptied Redis is not "nothing
//      revoked"), journal it on an issuer, drop expired entries, and mark the mirror synced as of
//      the round's start. A failed round marks nothing, so the mirror turns stale by itself.
using StackExchange.Redis;

namespace Tessera.Revocation.Redis;

public sealed partial class RedisRevocationStore
{
    private static readonly TimeSpan FullSyncEvery = TimeSpan.FromMinutes(5);
    private const int Page = 1000;

    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private int _running;
    private int _again;
    private string? _epoch;
    private bool _synced;
    private RedisValue _cursor = "0-0";
    private DateTimeOffset _lastFull;
    private long _syncs;
    private long _failures;
    private long _ignored;
    private string? _lastError;

    /// <summary>Successful sync rounds so far.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Failed sync rounds so far (Redis unreachable or answering errors).</summary>
    public long SyncFailures => Interlocked.Read(ref _failures);

    /// <summary>Values under Tessera's keys that Tessera did not write, skipped so far.</summary>
    public long IgnoredValues => Interlocked.Read(ref _ignored);

    /// <summary>Why the last round failed; null after a successful one.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    private void Start()
    {
        if (_options.WriteOnly)
        {
            Database.Ping();
            return;
        }

        if (_options.RequireConnection)
        {
            SyncOnceAsync().GetAwaiter().GetResult();
        }

        try
        {
            _redis.GetSubscriber().Subscribe(_layout.Events, (_, _) => Trigger());
        }
        catch (RedisException)
        {
            // Not connected yet: the multiplexer subscribes again when it connects.
        }

        _timer = _time.CreateTimer(_ => Trigger(), null, _options.RequireConnection ? _options.Interval : TimeSpan.Zero, _options.Interval);
    }

    /// <summary>Runs one round now (tests, and the first read of one-shot commands).</summary>
    internal Task SyncNowAsync() => SyncOnceAsync();

    // One round at a time; a hint during a round asks for one more right after it.
    private void Trigger()
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            Volatile.Write(ref _again, 1);
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                do
                {
                    Volatile.Write(ref _again, 0);
                    if (_stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    try
                    {
                        await SyncOnceAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException or ObjectDisposedException or ArgumentException or Microsoft.Data.Sqlite.SqliteException)
                    {
                        Interlocked.Increment(ref _failures);
                        Volatile.Write(ref _lastError, ex.GetType().Name + ": " + ex.Message);
                    }
                }
                while (Volatile.Read(ref _again) == 1);
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
        });
    }

    private async Task SyncOnceAsync()
    {
        DateTimeOffset started = _time.GetUtcNow();
        IDatabase db = Database;
        string? epoch = await db.StringGetAsync(_layout.Epoch).ConfigureAwait(false);
        if (_journal is not null && (epoch is null || epoch != _epoch))
        {
            // An issuer makes sure there is an epoch (an emptied Redis has none), then re-seeds.
            await db.StringSetAsync(_layout.Epoch, _epochCandidate, when: When.NotExists).ConfigureAwait(false);
            await ReseedAsync().ConfigureAwait(false);
            epoch = await db.StringGetAsync(_layout.Epoch).ConfigureAwait(false);
        }

        bool full = !_synced || epoch != _epoch || started - _lastFull > FullSyncEvery;

        if (full)
        {
            await ReadEverythingAsync(db).ConfigureAwait(false);
            _lastFull = started;
        }
        else
        {
            await ReadLogAsync(db).ConfigureAwait(false);
        }

        _epoch = epoch;
        _synced = true;
        _mirror.Purge();
        _mirror.MarkSynced(started);
        Interlocked.Increment(ref _syncs);
        Volatile.Write(ref _lastError, null);
    }

    // An issuer writes back every unexpired revocation it knows (journal and mirror); each write
    // keeps the later time, so re-seeding what Redis still has changes nothing.
    private async Task ReseedAsync()
    {
        IEnumerable<RevocationEntry> known = _journal!.Entries().Concat(_mirror.Snapshot());
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        foreach (RevocationEntry[] batch in known.Where(e => e.Scope is not null || e.Time > now).Chunk(Page))
        {
            await Task.WhenAll(batch.Select(WriteAsync)).ConfigureAwait(false);
        }
    }

    private async Task ReadEverythingAsync(IDatabase db)
    {
        // The log's end first: what is written while we scan is read from the log next round.
        StreamEntry[] last = await db.StreamRangeAsync(_layout.Log, "-", "+", count: 1, messageOrder: Order.Descending).ConfigureAwait(false);
        RedisValue cursor = last.Length == 1 ? last[0].Id : (RedisValue)"0-0";

        string pattern = _layout.Prefix.Replace("[", "\\[", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal).Replace("?", "\\?", StringComparison.Ordinal) + "jti:*";
        string scan = "0";
        do
        {
            RedisResult page = await db.ExecuteAsync("SCAN", scan, "MATCH", pattern, "COUNT", Page).ConfigureAwait(false);
            RedisResult[] parts = (RedisResult[])page!;
            scan = (string)parts[0]!;
            RedisKey[] keys = ((RedisResult[])parts[1]!).Select(k => (RedisKey)(string)k!).ToArray();
            if (keys.Length > 0)
            {
                RedisValue[] values = await db.StringGetAsync(keys).ConfigureAwait(false);
                for (int i = 0; i < keys.Length; i++)
                {
                    if (!values[i].IsNull)
                    {
                        Take(_layout.TryJti(keys[i], values[i], out RevocationEntry entry), entry);
                    }
                }
            }
        }
        while (scan != "0");

        foreach (HashEntry field in await db.HashGetAllAsync(_layout.Cutoffs).ConfigureAwait(false))
        {
            Take(RedisLayout.TryCutoff(field.Name, field.Value, out RevocationEntry entry), entry);
        }

        _cursor = cursor;
    }

    private async Task ReadLogAsync(IDatabase db)
    {
        while (true)
        {
            StreamEntry[] entries = await db.StreamRangeAsync(_layout.Log, "(" + _cursor, "+", count: Page).ConfigureAwait(false);
            foreach (StreamEntry log in entries)
            {
                Take(RedisLayout.TryLogEntry(log, out RevocationEntry entry), entry, learned: true);
                _cursor = log.Id;
            }

            if (entries.Length < Page)
            {
                return;
            }
        }
    }

    private void Take(bool parsed, RevocationEntry entry, bool learned = false)
    {
        if (!parsed)
        {
            Interlocked.Increment(ref _ignored);
            return;
        }

        bool changed = _mirror.Apply(entry);
        if (changed && learned)
        {
            _options.Learned?.Invoke(entry);
        }

        if (changed && _journal is not null)
        {
            if (entry.Scope is null)
            {
                _journal.Revoke(entry.Id!, DateTimeOffset.FromUnixTimeSeconds(entry.Time));
            }
            else
            {
                _journal.RevokeBefore(entry.Scope.Value, entry.Id, DateTimeOffset.FromUnixTimeSeconds(entry.Time));
            }
        }
    }
}
